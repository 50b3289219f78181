/**
 * The Kubernetes pod and container fields that KServe's types inline (`PodSpec` into every
 * component, `corev1.Container` into `model:` and the legacy framework keys). The field *names* are
 * listed, so a typo next to them (`spec.predictor.containres`) is caught; their *values* are open
 * objects, kept exactly, because Kubernetes (not KServe) owns their shape.
 */
import type { JsonSchema } from '../registry.ts';
import { bool, int32, int64, open, openList, str, strList, strMap } from './fields.ts';

/** The fields of a core/v1 Container, as inlined by KServe's ModelSpec and framework specs. */
export function containerFields(): Record<string, JsonSchema> {
  return {
    name: str('Name of the container (DNS label).'),
    image: str('Container image name.'),
    command: strList('Entrypoint array; not run in a shell.'),
    args: strList('Arguments to the entrypoint.'),
    workingDir: str("Container's working directory."),
    ports: openList('Ports to expose from the container.'),
    envFrom: openList('Sources to populate environment variables from.'),
    // As KServe's CRD: env merges by name under server-side apply.
    env: {
      type: 'array',
      description: 'Environment variables to set in the container.',
      items: { type: 'object', required: ['name'], 'x-kubernetes-preserve-unknown-fields': true },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    },
    resources: open('Compute resources (requests, limits, claims).'),
    resizePolicy: openList('Resource resize policy for the container.'),
    restartPolicy: str('Restart policy of an init container (Always for sidecars).'),
    restartPolicyRules: openList('Rules for restarting the container on exit.'),
    volumeMounts: openList('Volumes to mount into the filesystem.'),
    volumeDevices: openList('Block devices to be used by the container.'),
    livenessProbe: open('Periodic probe of container liveness.'),
    readinessProbe: open('Periodic probe of container readiness.'),
    startupProbe: open('Probe that the container has started.'),
    lifecycle: open('Actions on container lifecycle events.'),
    terminationMessagePath: str('Path of the termination message file.'),
    terminationMessagePolicy: str('How the termination message is populated.'),
    imagePullPolicy: str('Image pull policy: Always, Never, IfNotPresent.'),
    securityContext: open('Security options the container runs with.'),
    stdin: bool('Allocate a buffer for stdin.'),
    stdinOnce: bool('Close stdin after the first attach.'),
    tty: bool('Allocate a TTY.'),
  };
}

/** One container (custom predictors, transformers, runtime containers): kept exactly. */
export function containerList(description: string): JsonSchema {
  return { type: 'array', description, items: { type: 'object', required: ['name'], 'x-kubernetes-preserve-unknown-fields': true } };
}

/** The fields of a core/v1 PodSpec, as KServe's `PodSpec` inlines them (containers optional). */
export function podSpecFields(): Record<string, JsonSchema> {
  return {
    volumes: openList('Volumes that containers in the pod can mount.'),
    initContainers: containerList('Init containers run before the app containers.'),
    containers: containerList('Containers of the pod (custom predictor or transformer).'),
    ephemeralContainers: openList('Ephemeral debugging containers.'),
    restartPolicy: str('Restart policy for all containers.'),
    terminationGracePeriodSeconds: int64('Seconds the pod needs to terminate gracefully.'),
    activeDeadlineSeconds: int64('Seconds the pod may be active before it is failed.'),
    dnsPolicy: str('DNS policy for the pod.'),
    nodeSelector: strMap('Labels a node must have to run the pod.'),
    serviceAccountName: str('Service account the pod runs as.'),
    serviceAccount: str('Deprecated alias of serviceAccountName.'),
    automountServiceAccountToken: bool('Mount the service account token.'),
    nodeName: str('Schedule onto this node.'),
    hostNetwork: bool("Use the host's network namespace."),
    hostPID: bool("Use the host's pid namespace."),
    hostIPC: bool("Use the host's ipc namespace."),
    shareProcessNamespace: bool('Share one process namespace between containers.'),
    securityContext: open('Pod-level security attributes.'),
    imagePullSecrets: openList('Secrets for pulling images.'),
    hostname: str('Hostname of the pod.'),
    subdomain: str('Subdomain of the pod.'),
    affinity: open('Scheduling constraints.'),
    schedulerName: str('Scheduler that schedules the pod.'),
    tolerations: openList('Tolerations of node taints.'),
    hostAliases: openList("Entries for the pod's hosts file."),
    priorityClassName: str('Priority class of the pod.'),
    priority: int32('Priority value of the pod.'),
    dnsConfig: open('DNS parameters of the pod.'),
    readinessGates: openList('Extra conditions for pod readiness.'),
    runtimeClassName: str('RuntimeClass to run the pod with.'),
    enableServiceLinks: bool('Inject service environment variables.'),
    preemptionPolicy: str('Policy for preempting lower-priority pods.'),
    overhead: open('Resource overhead of the pod sandbox.'),
    topologySpreadConstraints: openList('How pods spread across topology domains.'),
    setHostnameAsFQDN: bool('Use the FQDN as hostname.'),
    os: open('Operating system of the containers.'),
    hostUsers: bool("Use the host's user namespace."),
    schedulingGates: openList('Gates that block scheduling.'),
    resourceClaims: openList('Resource claims (DRA) of the pod.'),
    resources: open('Pod-level resource requirements.'),
    hostnameOverride: str('Hostname override of the pod.'),
  };
}
