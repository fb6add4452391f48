// Runs the official client's benchmarks/main.js (in this directory, next to
// it) so that its final summary is printed both ways: its table, then its
// `json` summary (one line), from the same run. main.js calls
// stats.reportFinal once, as `json` in config.json says; this wraps it.
const stats = require('./stats')

const reportFinal = stats.reportFinal
stats.reportFinal = function (argv, print) {
  reportFinal(Object.assign({}, argv, { json: false }), print)
  print('JSON SUMMARY')
  return reportFinal(Object.assign({}, argv, { json: true }), print)
}
require('./main.js')
