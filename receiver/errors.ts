/** The receiver's error class; its codes are declared in errors/receiver.ts. */
import { RECV_ERRORS, errorClass, errorGuard } from '../errors/index.js';

export { RECV_ERRORS };
export type RecvErrorCode = keyof typeof RECV_ERRORS;

export const RecvError = errorClass('RecvError', RECV_ERRORS);
export type RecvError = InstanceType<typeof RecvError>;
export const isRecvError = errorGuard(RecvError);
