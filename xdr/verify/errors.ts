/** The error class of `xdrgate verify` and the partition admin endpoints; its codes are declared in errors/verify.ts. */
import { VERIFY_ERRORS, errorClass, errorGuard } from '../../errors/index.js';

export { VERIFY_ERRORS };
export type VerifyErrorCode = keyof typeof VERIFY_ERRORS;

export const VerifyError = errorClass('VerifyError', VERIFY_ERRORS);
export type VerifyError = InstanceType<typeof VerifyError>;
export const isVerifyError = errorGuard(VerifyError);
