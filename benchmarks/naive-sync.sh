#!/usr/bin/env bash
# The approach fwpolicy replaces, kept here only to be measured against: for every rule ask
# `iptables -C` whether it exists and append it with `-A` when the answer is no, one process
# per question, as kube-router 2.0.x did. (fwpolicy itself never runs -C.) Not safe for real
# use: -C has given false negatives (duplicates) and false positives in several releases.
#
# usage: naive-sync.sh BACKEND RULES_FILE       BACKEND = nft | legacy
# Run it inside the network namespace under test (ip netns exec NS naive-sync.sh …).
# RULES_FILE: one action per line, fields separated by tabs (no shell quoting involved):
#   chain <TAB> 4|6 <TAB> NAME                        create chain NAME unless it exists
#   rule  <TAB> 4|6 <TAB> CHAIN <TAB> ARG <TAB> ARG…  -C CHAIN ARGS…, and -A CHAIN ARGS… if absent
# Prints one line: checked=N appended=M created=K
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 nft|legacy RULES_FILE" >&2; exit 2; }
backend=$1
rules=$2
case $backend in nft|legacy) ;; *) echo "backend must be nft or legacy" >&2; exit 2;; esac

checked=0 appended=0 created=0
while IFS=$'\t' read -r -a f; do
  [ ${#f[@]} -ge 3 ] || continue
  case ${f[1]} in
    4) ipt=iptables-$backend ;;
    6) ipt=ip6tables-$backend ;;
    *) echo "bad family in: ${f[*]}" >&2; exit 2 ;;
  esac
  case ${f[0]} in
    chain)
      # go-iptables' ChainExists: list rule 1 of the chain.
      if ! "$ipt" -w -t filter -S "${f[2]}" 1 >/dev/null 2>&1; then
        "$ipt" -w -t filter -N "${f[2]}"
        created=$((created + 1))
      fi ;;
    rule)
      checked=$((checked + 1))
      if ! "$ipt" -w -t filter -C "${f[2]}" "${f[@]:3}" 2>/dev/null; then
        "$ipt" -w -t filter -A "${f[2]}" "${f[@]:3}"
        appended=$((appended + 1))
      fi ;;
    *) echo "bad action in: ${f[*]}" >&2; exit 2 ;;
  esac
done < "$rules"
echo "checked=$checked appended=$appended created=$created"
