/** Unit tests use in-memory fakes; integration and e2e tests use a real redis-server and strict fakes. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Files are transpiled one by one (fast); `npm test` type-checks the whole program once with tsc first.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.jest.json' }] },
  testTimeout: 30000,
  maxWorkers: 2,
};
