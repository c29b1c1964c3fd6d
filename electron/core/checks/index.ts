export { checkInfigo, normaliseStoreUrl, INFIGO_BASE_URL_FIX, INFIGO_TOKEN_FIX } from './setup-infigo';
export { checkGelato, endpointProblems, GELATO_KEY_FIX } from './setup-gelato';
export { parseConnectorUrls, classifyConnectorUrl, REQUIRED_ENDPOINTS, type ParsedConnectorUrls, type ConnectorEndpointName } from '../../../shared/domain/connector-urls';
export { useSandbox, placeTestOrders, runningSandbox, testRunSettled, testRunState, syncAndWait, PLACE_IN_REAL_STORE } from './sandbox-mode';
export { runChecklist, waiveCheck, CHECKLIST, type ChecklistId } from './checklist';
export { runDoctor, DOCTOR_CHECKS } from './doctor';
