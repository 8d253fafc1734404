/**
 * The unit specs beside the code (the .spec.ts files of lib) may not import test/ either: a spec that needs a harness of
 * test/ belongs there. Run by npm run lint:deps after .dependency-cruiser.cjs.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const layers = require('./.dependency-cruiser.cjs');

module.exports = {
  forbidden: layers.forbidden.filter((rule) => rule.name === 'lib-without-test'),
  options: { ...layers.options, exclude: { path: '\\.d\\.ts$' } },
};
