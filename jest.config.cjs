// @ts-check
// `npm test`: every suite but the heavy ones (see HEAVY in jest.projects.cjs).
module.exports = require('./jest.projects.cjs').config({ heavy: false });
