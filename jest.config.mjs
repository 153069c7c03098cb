// Jest runs the TypeScript sources as native ESM (the @actions/* packages are ESM-only).
// ts-jest transpiles each file on its own (tsconfig isolatedModules); `npm run typecheck` does the type checking.
export default {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  // Registry-backed suites start real processes: keep the machine (2 cores) from thrashing.
  maxWorkers: 2,
  testTimeout: 60000,
  clearMocks: true
}
