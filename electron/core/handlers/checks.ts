import type { HandlerMap } from '../engine';

/** Contract calls for setup checks, the test-order checklist and troubleshooting (setup.check*, checklist.*, doctor.run). */
export const checkHandlers: HandlerMap = {};
