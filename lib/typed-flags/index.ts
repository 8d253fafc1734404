export {
  InjectTypedVWO,
  typedVWO,
  type TypedFlag,
  type TypedVWOService,
  type VWOFlagKey,
  type VWOFlagRegistry,
  type VWOFlagVariableCheck,
  type VWOFlagVariableName,
  type VWOFlagVariables,
  type VWORegisteredFlagKey,
} from './vwo-flag-registry';
export type { VWOServiceApi } from './vwo-service-api';
