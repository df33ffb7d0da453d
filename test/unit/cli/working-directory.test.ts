import { describe, expect, it } from 'vitest';
import { callerDirectory } from '../../../cli/working-directory.ts';

describe('callerDirectory', () => {
  it("is INIT_CWD when run as the checkout's own `npm run sagewatch`", () => {
    expect(
      callerDirectory(
        { INIT_CWD: '/repo/test', npm_lifecycle_event: 'sagewatch', npm_package_name: 'sagewatch' },
        '/repo',
      ),
    ).toBe('/repo/test');
  });

  it('is the working directory otherwise: run directly, by another script, or by another package', () => {
    expect(callerDirectory({}, '/home/me/logs')).toBe('/home/me/logs');
    expect(
      callerDirectory(
        { INIT_CWD: '/repo/test', npm_lifecycle_event: 'test', npm_package_name: 'sagewatch' },
        '/repo',
      ),
    ).toBe('/repo');
    expect(
      callerDirectory(
        { INIT_CWD: '/app/sub', npm_lifecycle_event: 'sagewatch', npm_package_name: 'my-app' },
        '/app',
      ),
    ).toBe('/app');
    expect(
      callerDirectory({ npm_lifecycle_event: 'sagewatch', npm_package_name: 'sagewatch' }, '/repo'),
    ).toBe('/repo');
  });
});
