/** The gateway layer's public surface, for the control plane's composition (`kserve-ts up`). */
export { type Gateway, type GatewayOptions, forwardableHeaders, startGateway } from './gateway.ts';
export { type GrpcGateway, type GrpcGatewayOptions, encodeGrpcMessage, startGrpcGateway } from './grpc-gateway.ts';
export { type Backend, type Resolution, type Route, RoutingTable, SERVING_PREFIX, defaultHosts, normalizeHost, pickWeighted } from './routing-table.ts';
