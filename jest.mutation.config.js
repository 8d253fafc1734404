/**
 * The suites the mutation check (scripts/mutation-check.sh) runs against each mutant of lib/engine and lib/events:
 * the fast, in-process ones. Left out: the differential test (minutes per run), and the e2e suites that start apps,
 * servers, workers or child processes (they would multiply the check's time; the unit suites below cover the same code).
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: [
    '<rootDir>/lib/engine/**/*.spec.ts',
    '<rootDir>/lib/events/**/*.spec.ts',
    '<rootDir>/test/conformance/**/*.spec.ts',
    '<rootDir>/test/events/*.spec.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', 'worker-thread-transport'],
};
