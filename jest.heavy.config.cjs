// @ts-check
// `npm run test:heavy`: the suites `npm test` leaves out for time (see HEAVY in jest.projects.cjs).
module.exports = require('./jest.projects.cjs').config({ heavy: true });
