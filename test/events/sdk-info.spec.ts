import { join } from 'node:path';
import { readSdkInfo, SDK_INFO } from '../../lib/sdk-info';

describe('sdk info', () => {
  it('names the SDK after our package.json', () => {
    const pkg = require('../../package.json') as { name: string; version: string };
    expect(SDK_INFO).toEqual({ name: 'nestjs-vwo', version: pkg.version });
  });

  it('falls back when package.json is not two levels up', () => {
    expect(readSdkInfo(join(__dirname, 'nowhere', 'deeper', 'still'))).toEqual({ name: 'nestjs-vwo', version: '0.0.0' });
  });
});
