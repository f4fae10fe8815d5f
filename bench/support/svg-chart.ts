/**
 * Line charts as a standalone SVG file, side-by-side panels sharing one legend. Written by hand
 * because the need is small (lines, markers, linear or log axes) and the charting libraries that can
 * write SVG in Node without a browser (Vega, and the like) bring a rendering runtime many times the
 * size of this bench; the output is plain SVG that GitHub and any browser render as is.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
  /** The true value is above `y` (not answered before the cut-off): drawn as ▲ at `y`. */
  readonly censored?: boolean;
}

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly points: readonly Point[];
}

export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly yLog?: boolean;
  readonly series: readonly Series[];
  /** Horizontal reference lines (e.g. a ceiling). */
  readonly references?: readonly { readonly y: number; readonly label: string }[];
}

const PANEL = { width: 470, height: 330, left: 64, right: 16, top: 34, bottom: 48 } as const;
const LEGEND_HEIGHT = 34;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

export function renderChart(title: string, panels: readonly Panel[]): string {
  const width = PANEL.width * panels.length;
  const height = PANEL.height + LEGEND_HEIGHT + 28;
  const legendSeries = uniqueByName(panels.flatMap((panel) => panel.series));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="600">${escape(title)}</text>`,
    legend(legendSeries, width, 30, panels.some((panel) => panel.series.some((series) => series.points.some((p) => p.censored)))),
    ...panels.map((panel, index) => `<g transform="translate(${index * PANEL.width},${LEGEND_HEIGHT + 28})">${renderPanel(panel)}</g>`),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

function renderPanel(panel: Panel): string {
  const plotWidth = PANEL.width - PANEL.left - PANEL.right;
  const plotHeight = PANEL.height - PANEL.top - PANEL.bottom;
  const points = panel.series.flatMap((series) => series.points);
  const xs = points.map((point) => point.x);
  const ys = [...points.map((point) => point.y), ...(panel.references ?? []).map((reference) => reference.y)];
  const xTicks = linearTicks(0, Math.max(...xs));
  // Linear axes get 10 % headroom, so that a reference line at the maximum is not drawn on the frame.
  const yTicks = panel.yLog ? logTicks(Math.min(...ys.filter((y) => y > 0)), Math.max(...ys)) : linearTicks(0, Math.max(...ys) * 1.1);
  const [xMin, xMax] = [xTicks[0] as number, xTicks.at(-1) as number];
  const [yMin, yMax] = [yTicks[0] as number, yTicks.at(-1) as number];
  const sx = (x: number): number => PANEL.left + ((x - xMin) / (xMax - xMin)) * plotWidth;
  const sy = panel.yLog
    ? (y: number): number => PANEL.top + plotHeight - ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotHeight
    : (y: number): number => PANEL.top + plotHeight - ((y - yMin) / (yMax - yMin)) * plotHeight;

  const out: string[] = [];
  out.push(`<text x="${PANEL.width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600">${escape(panel.title)}</text>`);
  for (const tick of yTicks) {
    const y = sy(tick).toFixed(1);
    out.push(`<line x1="${PANEL.left}" x2="${PANEL.left + plotWidth}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${PANEL.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#374151">${label(tick)}</text>`);
  }
  for (const tick of xTicks) {
    const x = sx(tick).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${PANEL.top}" y2="${PANEL.top + plotHeight}" stroke="#f3f4f6"/>`);
    out.push(`<text x="${x}" y="${PANEL.top + plotHeight + 16}" text-anchor="middle" fill="#374151">${label(tick)}</text>`);
  }
  out.push(`<rect x="${PANEL.left}" y="${PANEL.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#9ca3af"/>`);
  out.push(
    `<text x="${PANEL.left + plotWidth / 2}" y="${PANEL.height - 8}" text-anchor="middle" fill="#111827">${escape(panel.xLabel)}</text>`,
    `<text transform="translate(14,${PANEL.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="#111827">${escape(panel.yLabel)}</text>`,
  );
  // Labels alternate above and below their lines, so that two close references stay legible.
  [...(panel.references ?? [])]
    .sort((a, b) => b.y - a.y)
    .forEach((reference, index) => {
      const y = sy(reference.y);
      const labelY = index % 2 === 0 ? y - 5 : y + 13;
      out.push(`<line x1="${PANEL.left}" x2="${PANEL.left + plotWidth}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#6b7280" stroke-dasharray="2 3"/>`);
      out.push(`<text x="${PANEL.left + 6}" y="${labelY.toFixed(1)}" fill="#4b5563" font-size="11">${escape(reference.label)}</text>`);
    });
  for (const series of panel.series) {
    const path = series.points.map((point, i) => `${i === 0 ? 'M' : 'L'}${sx(point.x).toFixed(1)},${sy(point.y).toFixed(1)}`).join(' ');
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`);
    for (const point of series.points) out.push(marker(sx(point.x), sy(point.y), series.color, point.censored === true));
  }
  return out.join('\n');
}

function legend(series: readonly Series[], width: number, y: number, withCensored: boolean): string {
  const entries = series.map((s) => ({ text: s.name, color: s.color, dashed: s.dashed === true }));
  const itemWidth = (text: string): number => 44 + text.length * 7.2;
  const censoredText = '▲ not answered before the cut-off';
  const total = entries.reduce((sum, entry) => sum + itemWidth(entry.text), 0) + (withCensored ? itemWidth(censoredText) : 0);
  let x = (width - total) / 2;
  const out: string[] = [];
  for (const entry of entries) {
    const dash = entry.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<line x1="${x}" x2="${x + 24}" y1="${y + 12}" y2="${y + 12}" stroke="${entry.color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${x + 29}" y="${y + 12}" dominant-baseline="middle">${escape(entry.text)}</text>`);
    x += itemWidth(entry.text);
  }
  if (withCensored) out.push(`<text x="${x + 4}" y="${y + 12}" dominant-baseline="middle" fill="#4b5563">${censoredText}</text>`);
  return out.join('\n');
}

function marker(x: number, y: number, color: string, censored: boolean): string {
  if (censored) {
    return `<path d="M${x.toFixed(1)},${(y - 6).toFixed(1)} l5,9 h-10 z" fill="${color}"/>`;
  }
  return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="#ffffff" stroke="${color}" stroke-width="2"/>`;
}

/** 0 to a "nice" maximum in about five steps of 1, 2 or 5 × 10ⁿ. */
function linearTicks(min: number, max: number): number[] {
  const span = max - min || 1;
  const rough = span / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let tick = Math.floor(min / step) * step; tick < max + step; tick += step) ticks.push(tick);
  return ticks.length > 1 ? ticks : [min, min + step];
}

/** Powers of ten around the data. */
function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let power = Math.floor(Math.log10(min)); power <= Math.ceil(Math.log10(max)); power++) ticks.push(10 ** power);
  return ticks.length > 1 ? ticks : [ticks[0] as number, (ticks[0] as number) * 10];
}

function label(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function uniqueByName(series: readonly Series[]): Series[] {
  const seen = new Map<string, Series>();
  for (const s of series) if (!seen.has(s.name)) seen.set(s.name, s);
  return [...seen.values()];
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
