/**
 * A room of its own: the in-process Kubernetes API server of the demo and of the integration tests, made as strict as
 * a real kube-apiserver about custom resources (schema, pruning, list types, CEL rules). It knows nothing of the
 * operator or the agent; it is given CRDs the way a cluster is, through the API.
 */
package io.carpoperator.apiserver;
