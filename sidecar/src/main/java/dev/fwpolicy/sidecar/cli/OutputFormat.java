package dev.fwpolicy.sidecar.cli;

/** How a subcommand prints its result. */
public enum OutputFormat { text, json }
