import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COLLECT_DIR_ENV } from './conformance';
import schemaGlobalSetup from './global-setup';

/**
 * The jest global setup: the schema harness's (compiles the CRD validators), then a fresh directory where every test
 * worker records what it synthesizes for the conformance harness (test/harness/conformance-collector.ts). Workers are
 * started after this runs and inherit the variable.
 */
export default function globalSetup(): void {
  schemaGlobalSetup();
  process.env[COLLECT_DIR_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-pd-collect-'));
}
