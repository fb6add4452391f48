/** The CLI's door. */
export { buildProgram, main } from './main.js';
export { GatewayClient, ApiError, type ClientOptions } from './client.js';
export { LoadDriver } from './load.js';
export { UP_CONFIG_FILES } from './up.js';
export { infoRequest, parseInfoReply, serviceAddressOf, type InfoRequestOptions } from './info.js';
