/** The storage contract ships in `nestjs-vwo/testing`; the repo's own suites use the same code. */
export { describeStorageContract } from '../../lib/testing/describe-storage-contract';
