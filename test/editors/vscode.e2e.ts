// End-to-end test in a real VS Code: installs the packaged extension (.vsix) into code-server,
// opens fixtures/editors/vscode/workspace in headless Chromium through playwright-core, and checks
// what a user sees: the squiggle under the bad code, the Problems panel row, the hover, and a quick
// fix from the lightbulb menu that changes the file on disk. Screenshots of each step go to
// test-artifacts/vscode/ (look at them when this test changes).
//
// Not part of `npm test` (the file name does not match *.test.js): a run takes one to three
// minutes on a busy 2-core machine. `npm run test:vscode` runs it; .ci/run does after `npm test`.
// Skips when code-server (scripts/e2e/install-code-server.sh) or Chromium is missing, unless
// NIXGUARD_E2E_REQUIRED=1 (set by .ci/run, which installs both), where a missing program fails.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import {
  createScratch,
  findChromium,
  findCodeServer,
  installExtension,
  REPOSITORY_ROOT,
  RunningCodeServer,
  Scratch,
  scratchEnvironment,
  startCodeServer,
  writeUserSettings,
} from './code-server';

const FIXTURE_WORKSPACE = path.join(REPOSITORY_ROOT, 'fixtures', 'editors', 'vscode', 'workspace');
const ARTIFACTS = path.join(REPOSITORY_ROOT, 'test-artifacts', 'vscode');
const FILE_NAME = 'module.nix';
const BAD_CODE = 'cfg.openFirewall == true';
const FIXED_CODE = 'cfg.openFirewall';
const BAD_LINE_NUMBER = 9;
const MESSAGE = 'Comparison with `true` is redundant: use the expression directly';
const RULE_ID = 'bool-comparison';
const FIX_TITLE = 'Replace with `cfg.openFirewall`';

/**
 * Upper bounds for each wait. Generous because CI machines are shared: with a load average of 20
 * on 2 cores, loading the workbench took 66 s and the first diagnostics another 36 s.
 */
const TIMEOUTS = {
  packageVsix: 180_000,
  codeServerStart: 60_000,
  workbench: 150_000,
  /** Extension activation + server start + first diagnostics. */
  diagnostics: 120_000,
  ui: 30_000,
  save: 15_000,
};

/** The `.vsix` to test: $NIXGUARD_VSIX, or a fresh `npm run package` of client/ (so it is never stale). */
function packageExtension(): string {
  if (process.env.NIXGUARD_VSIX) return path.resolve(process.env.NIXGUARD_VSIX);
  const clientFolder = path.join(REPOSITORY_ROOT, 'client');
  const result = spawnSync('npm', ['run', 'package'], { cwd: clientFolder, encoding: 'utf8', timeout: TIMEOUTS.packageVsix });
  if (result.status !== 0) throw new Error(`npm run package in client/ failed (status ${result.status}):\n${result.stdout}\n${result.stderr}`);
  const newest = fs
    .readdirSync(clientFolder)
    .filter((name) => name.endsWith('.vsix'))
    .map((name) => path.join(clientFolder, name))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  if (!newest) throw new Error(`npm run package in client/ produced no .vsix:\n${result.stdout}`);
  return newest;
}

/**
 * The on-screen box of `needle` inside the editor line that contains it, measured in the page with
 * a DOM Range (Monaco splits a line into one span per token). A string, because the test project
 * compiles without the DOM library.
 */
const TEXT_BOX_SCRIPT = `(needle) => {
  for (const line of document.querySelectorAll('.monaco-editor .view-line')) {
    const at = line.textContent.replace(/\\u00a0/g, ' ').indexOf(needle);
    if (at < 0) continue;
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let offset = 0;
    let started = false;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.nodeValue.length;
      if (!started && at < offset + length) { range.setStart(node, at - offset); started = true; }
      if (started && at + needle.length <= offset + length) {
        range.setEnd(node, at + needle.length - offset);
        const box = range.getBoundingClientRect();
        return { x: box.x, y: box.y, width: box.width, height: box.height };
      }
      offset += length;
    }
  }
  return null;
}`;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function textBox(page: Page, needle: string): Promise<Box | null> {
  return page.evaluate<Box | null>(`(${TEXT_BOX_SCRIPT})(${JSON.stringify(needle)})`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), timeout: TIMEOUTS.ui });
}

/** Seconds per setup phase, printed after the run and saved next to the screenshots. */
const phaseSeconds: Record<string, number> = {};

async function timed<T>(phase: string, work: () => T | Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    phaseSeconds[phase] = (Date.now() - started) / 1000;
  }
}

describe('VS Code end to end (code-server + Chromium)', function () {
  let scratch: Scratch | undefined;
  let codeServer: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    const codeServerFound = findCodeServer();
    const chromiumFound = findChromium();
    if ('missing' in codeServerFound || 'missing' in chromiumFound) {
      const reason = 'missing' in codeServerFound ? codeServerFound.missing : (chromiumFound as { missing: string }).missing;
      if (process.env.NIXGUARD_E2E_REQUIRED === '1') throw new Error(`the VS Code end-to-end test cannot run: ${reason}`);
      console.log(`      skipping the VS Code end-to-end test: ${reason}`);
      this.skip();
    }
    // Chromium start, page load and explorer each get TIMEOUTS.workbench; installing gets 120 s.
    this.timeout(TIMEOUTS.packageVsix + 120_000 + TIMEOUTS.codeServerStart + 3 * TIMEOUTS.workbench);
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });

    const vsix = await timed('package the .vsix', packageExtension);
    scratch = createScratch(FIXTURE_WORKSPACE);
    writeUserSettings(scratch, {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'files.autoSave': 'off',
      'git.enabled': false,
      'editor.minimap.enabled': false,
      'editor.hover.delay': 300,
      'security.workspace.trust.enabled': false,
    });
    const launcher = codeServerFound.launcher;
    const workspace = scratch;
    await timed('install the .vsix', () => installExtension(launcher, workspace, vsix));
    codeServer = await timed('start code-server', () => startCodeServer(launcher, workspace, TIMEOUTS.codeServerStart));

    browser = await timed('start Chromium', () =>
      chromium.launch({
        executablePath: chromiumFound.executable,
        headless: true,
        env: scratchEnvironment(workspace),
        timeout: TIMEOUTS.workbench,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      }),
    );
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(TIMEOUTS.ui);
    const url = codeServer.url;
    try {
      await timed('load the workbench and open the file', async () => {
        await page.goto(url, { timeout: TIMEOUTS.workbench });
        // The explorer lists the workspace once the workbench is connected to code-server; opening
        // the file from there does not depend on the file search (Ctrl+P) having indexed it yet.
        const explorerEntry = page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE_NAME });
        await explorerEntry.waitFor({ timeout: TIMEOUTS.workbench });
        await explorerEntry.click();
        await page.locator('.monaco-editor .view-line', { hasText: 'networking.firewall.enable' }).waitFor();
      });
    } catch (error) {
      await screenshot(page, 'failed-opening-the-file').catch(() => undefined);
      throw error;
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await screenshot(page, `failed-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
    }
  });

  after(async function () {
    this.timeout(30_000);
    if (browser) await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (codeServer) {
      await codeServer.stop();
      fs.writeFileSync(path.join(ARTIFACTS, 'code-server.log'), codeServer.output());
    }
    scratch?.remove();
    if (Object.keys(phaseSeconds).length > 0) {
      fs.writeFileSync(path.join(ARTIFACTS, 'timings.json'), `${JSON.stringify(phaseSeconds, null, 2)}\n`);
      console.log(`      setup: ${Object.entries(phaseSeconds).map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)} s`).join(', ')}`);
    }
  });

  it('underlines exactly the `== true` comparison with a warning squiggle', async function () {
    this.timeout(TIMEOUTS.diagnostics + TIMEOUTS.ui);
    const squiggle = page.locator('.monaco-editor .squiggly-warning');
    await timed('first diagnostics', () => squiggle.first().waitFor({ timeout: TIMEOUTS.diagnostics }));
    await screenshot(page, '1-squiggle');
    assert.strictEqual(await squiggle.count(), 1, 'one warning squiggle in the file');
    const squiggleBox = await squiggle.boundingBox();
    const codeBox = await textBox(page, BAD_CODE);
    assert.ok(squiggleBox && codeBox, `squiggle ${JSON.stringify(squiggleBox)} and code ${JSON.stringify(codeBox)} are on screen`);
    const tolerance = 2;
    assert.ok(Math.abs(squiggleBox.x - codeBox.x) <= tolerance, `squiggle starts at the code: ${squiggleBox.x} vs ${codeBox.x}`);
    assert.ok(Math.abs(squiggleBox.width - codeBox.width) <= tolerance, `squiggle spans the code: ${squiggleBox.width} vs ${codeBox.width}`);
    assert.ok(squiggleBox.y >= codeBox.y - tolerance && squiggleBox.y + squiggleBox.height <= codeBox.y + codeBox.height + tolerance, `squiggle is on the code's line: ${JSON.stringify(squiggleBox)} vs ${JSON.stringify(codeBox)}`);
  });

  it('lists the finding with its rule id in the Problems panel', async function () {
    this.timeout(TIMEOUTS.ui * 2);
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: MESSAGE });
    await row.waitFor();
    await screenshot(page, '2-problems');
    const rowText = (await row.innerText()).replace(/\s+/g, ' ');
    // Rendered as "nixguard(bool-comparison)"; the parentheses are CSS, not text.
    assert.match(rowText, new RegExp(`nixguard\\W*${RULE_ID}`), 'the row names the source and the rule');
    assert.ok(rowText.includes(`[Ln ${BAD_LINE_NUMBER}, Col `), `the row points at line ${BAD_LINE_NUMBER}: ${rowText}`);
    const findingRows = page.locator('.markers-panel .monaco-list-row', { hasText: 'nixguard' });
    assert.strictEqual(await findingRows.count(), 1, 'the panel lists one nixguard finding');
    // Back to the editor: the panel stays open but must not take the keyboard.
    await page.keyboard.press('Control+1');
  });

  it('shows the message and rule id when hovering the squiggle', async function () {
    this.timeout(TIMEOUTS.ui * 2);
    const squiggleBox = await page.locator('.monaco-editor .squiggly-warning').boundingBox();
    assert.ok(squiggleBox, 'the squiggle is on screen');
    const centerX = squiggleBox.x + squiggleBox.width / 2;
    const centerY = squiggleBox.y + squiggleBox.height / 2;
    // Two moves: Monaco starts its hover timer on a mouse move inside the editor.
    await page.mouse.move(centerX - 5, centerY);
    await page.mouse.move(centerX, centerY);
    const hover = page.locator('.monaco-hover:visible', { hasText: MESSAGE });
    await hover.waitFor();
    // The hover's status bar says "Checking for quick fixes..." until the server answered.
    await hover.locator('.action', { hasText: 'Quick Fix' }).waitFor();
    await screenshot(page, '3-hover');
    const hoverText = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.ok(hoverText.includes(RULE_ID), `the hover names the rule: ${hoverText}`);
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  it('applies the quick fix from the lightbulb menu and saves the fixed file', async function () {
    this.timeout(TIMEOUTS.ui * 3 + TIMEOUTS.save + TIMEOUTS.diagnostics);
    const filePath = path.join(scratch!.workspace, FILE_NAME);
    const before = fs.readFileSync(filePath, 'utf8');
    assert.ok(before.includes(BAD_CODE), 'the scratch copy still has the bad code');

    // Put the cursor inside the finding: the lightbulb appears in the gutter of that line.
    const codeBox = await textBox(page, BAD_CODE);
    assert.ok(codeBox, 'the bad code is on screen');
    await page.mouse.click(codeBox.x + 3, codeBox.y + codeBox.height / 2);
    const lightBulb = page.locator('.monaco-editor .lightBulbWidget');
    await lightBulb.waitFor();
    const lightBulbBox = await lightBulb.boundingBox();
    assert.ok(lightBulbBox && Math.abs(lightBulbBox.y + lightBulbBox.height / 2 - (codeBox.y + codeBox.height / 2)) <= codeBox.height / 2, `the lightbulb is on the finding's line: ${JSON.stringify(lightBulbBox)} vs ${JSON.stringify(codeBox)}`);
    await lightBulb.click();
    const fixRow = page.locator('.action-widget .monaco-list-row.action', { hasText: FIX_TITLE });
    await fixRow.waitFor();
    // Choose with the keyboard (a mouse click lands on the menu's pointer-blocking overlay in
    // headless Chromium): move the focus down to our fix, then Enter.
    const rowCount = await page.locator('.action-widget .monaco-list-row.action').count();
    for (let moves = 0; moves < rowCount && !(await fixRow.getAttribute('class'))?.includes('focused'); moves++) {
      await page.keyboard.press('ArrowDown');
    }
    assert.ok((await fixRow.getAttribute('class'))?.includes('focused'), 'the fix is selected in the menu');
    await screenshot(page, '4-quick-fix-menu');
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: BAD_CODE }).waitFor({ state: 'detached' });
    await page.keyboard.press('Control+S');

    const expected = before.replace(BAD_CODE, FIXED_CODE);
    const deadline = Date.now() + TIMEOUTS.save;
    let onDisk = before;
    while (onDisk !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      onDisk = fs.readFileSync(filePath, 'utf8');
    }
    assert.strictEqual(onDisk, expected, 'the saved file has exactly the fix applied');
    await page.locator('.monaco-editor .squiggly-warning').waitFor({ state: 'detached', timeout: TIMEOUTS.diagnostics });
    await screenshot(page, '5-fixed');
  });
});
