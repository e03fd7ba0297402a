// Inlay hints: the exposure score `systemd-analyze security` would print, right after the name of
// each systemd service whose score can be known (`systemd.services.web 9.6 UNSAFE = { … }`), with
// the checks that cost the most in the tooltip. Services whose score is unknown get no hint;
// hovering their name says why (hover-systemd.ts).
//
// Clients ask for the visible range only, and ask again after every edit, so this must stay cheap:
// the services come from the module model (built once per version, and already by the rules'
// diagnostics), and only services named inside the range are scored (each once per version).
import type { AnalyzedFile } from '../analysis/analyzed-file';
import { systemdServices } from '../analysis/systemd-services';
import type { OffsetRange } from '../rules/types';
import { exposureSummary, serviceExposureOf } from './hover-systemd';

export interface InlayHint {
  /** Where the hint is shown: right after the service's name. */
  readonly offset: number;
  /** Short: `9.6 UNSAFE`. */
  readonly label: string;
  /** The hint is separated from the name by a space. */
  readonly paddingLeft: boolean;
  /** Markdown: the score and the checks that cost the most. */
  readonly tooltip: string;
}

/** The hints whose offset lies in `range` (ends included), in text order. */
export function inlayHints(file: AnalyzedFile, range: OffsetRange): InlayHint[] {
  const { table } = file;
  const hints: InlayHint[] = [];
  for (const service of systemdServices(table, file.modules)) {
    const offset = table.end(service.nameNode);
    if (offset < range.start || offset > range.end) continue;
    const exposure = serviceExposureOf(file, service);
    if (exposure.kind !== 'score') continue;
    const { score } = exposure;
    hints.push({ offset, label: `${score.text} ${score.label}`, paddingLeft: true, tooltip: exposureSummary(service, score) });
  }
  return hints;
}
