/** The error class of the local infrastructure launcher (Kafka, KRaft brokers, Redis); its codes are declared in errors/infra.ts. */
import { INFRA_ERRORS, errorClass, errorGuard } from '../../errors/index.js';

export { INFRA_ERRORS };
export type InfraErrorCode = keyof typeof INFRA_ERRORS;

export const InfraError = errorClass('InfraError', INFRA_ERRORS);
export type InfraError = InstanceType<typeof InfraError>;
export const isInfraError = errorGuard(InfraError);
