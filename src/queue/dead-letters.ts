// The lanes' dead letters are kept in Redis by the store; the relays, the admin API and the wiring know
// them by this path, the lanes' own.
export { DeadLetters, type DeadLetter } from '../store/dead-letter-store';
