export * from './temp';
export * from './wait';
export * from './processes';
export * from './redis-server';
export * from './cli';
export * from './http';
export * from './ponte';
