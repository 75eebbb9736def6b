export { EventAck, EventEnvelope, INTERNAL_EVENTS_PATH } from '../core/events.js';
