/**
 * Cluster membership without Kubernetes: a snapshot of pods, namespaces, Services and
 * EndpointSlices (however it was obtained: a watch, a file) and the rules that turn a
 * label selector or a Service into addresses. The engine never talks to an API server;
 * the sidecar fills a {@link dev.fwpolicy.engine.cluster.ClusterSnapshot} and hands it in.
 */
package dev.fwpolicy.engine.cluster;
