import type { HandlerMap } from '../engine';

/** Contract calls for status updates and checkout shipping (postbacks.*, shipping.*). */
export const backsyncHandlers: HandlerMap = {};
