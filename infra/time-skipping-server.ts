/**
 * The Java time-skipping test server (io.temporal:temporal-test-server from Maven Central), for tests of
 * month-long timers. Maven resolves it into ~/.m2; a small launcher script in the user cache runs it with
 * that classpath: `TestServer <port> --enable-time-skipping`. Returns undefined without Java and Maven,
 * so the caller falls back to the SDK's download.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isExecutable, PROJECT_TOOLS_DIR, USER_CACHE_DIR, which } from './tool-cache';

export const TEST_SERVER_VERSION = '1.38.0';
const DIR = path.join(USER_CACHE_DIR, `temporal-test-server-${TEST_SERVER_VERSION}`);

const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.wpzf</groupId><artifactId>temporal-test-server-launcher</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TEST_SERVER_VERSION}</version></dependency>
  </dependencies>
</project>
`;

function launcherIsValid(launcher: string, classpathFile: string): boolean {
  if (!isExecutable(launcher) || !existsSync(classpathFile)) return false;
  return readFileSync(classpathFile, 'utf8')
    .trim()
    .split(path.delimiter)
    .every((jar) => existsSync(jar));
}

export function findOrFetchTimeSkippingServer(log: (msg: string) => void): string | undefined {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER;
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  const inTools = path.join(PROJECT_TOOLS_DIR, 'temporal-test-server');
  if (isExecutable(inTools)) return inTools;

  const launcher = path.join(DIR, 'temporal-test-server');
  const classpathFile = path.join(DIR, 'classpath.txt');
  if (launcherIsValid(launcher, classpathFile)) return launcher;
  const java = which('java');
  if (!java || !which('mvn')) return undefined;

  log(`fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} with Maven…`);
  mkdirSync(DIR, { recursive: true });
  writeFileSync(path.join(DIR, 'pom.xml'), POM);
  try {
    execFileSync('mvn', ['-q', '-B', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`], {
      cwd: DIR,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (err) {
    log(`Maven could not resolve the test server: ${(err as Error).message}`);
    return undefined;
  }
  writeFileSync(launcher, `#!/bin/sh\nexec "${java}" -Xss1m -XX:+UseSerialGC -cp "$(cat "${classpathFile}")" io.temporal.testserver.TestServer "$@"\n`);
  chmodSync(launcher, 0o755);
  return launcherIsValid(launcher, classpathFile) ? launcher : undefined;
}
