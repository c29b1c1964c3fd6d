import { EventEmitter } from 'node:events';
import type { EngineEvents, EventName } from '../../shared/contract';

/** Typed wrapper so every emit and subscription is checked against the contract's events. */
export class EventBus {
  private readonly ee = new EventEmitter();
  constructor() {
    // Every SSE client and the tray subscribe; the default of 10 would warn falsely.
    this.ee.setMaxListeners(0);
  }
  emit<E extends EventName>(event: E, payload: EngineEvents[E]): void {
    this.ee.emit(event, payload);
  }
  on<E extends EventName>(event: E, listener: (payload: EngineEvents[E]) => void): () => void {
    this.ee.on(event, listener);
    return () => this.ee.off(event, listener);
  }
}
