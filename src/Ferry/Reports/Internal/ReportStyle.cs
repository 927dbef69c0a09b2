namespace Ferry.Reports.Internal;

/// <summary>The report's only style sheet, inlined: no font, image or file is fetched.</summary>
internal static class ReportStyle
{
    public const string Css = """
        :root{--fg:#1d232b;--muted:#5f6b7a;--line:#d9dee5;--bg:#fff;--panel:#f5f7fa;--accent:#2f6fb3;--alt:#7a5cc2;
          --ok:#1f7a3d;--warn:#9a6200;--bad:#b3261e;--grey:#5f6b7a;color-scheme:light}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
        main{max-width:1100px;margin:0 auto;padding:16px}
        h1{font-size:1.5rem;margin:.2em 0 .4em}
        h2{font-size:1.2rem;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:1px solid var(--line)}
        h3{font-size:1.05rem;margin:1.2em 0 .4em}
        h4{font-size:1rem;margin:0 0 .3em}
        code,pre{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.9em}
        pre{background:var(--panel);padding:8px 10px;border-radius:6px;overflow-x:auto;white-space:pre-wrap}
        .command{white-space:pre-wrap;word-break:break-all}
        dl.facts,dl.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:6px 16px;margin:.6em 0}
        dl.facts div,dl.figures div{min-width:0}
        dt{color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.03em}
        dd{margin:0}
        dl.figures dd{font-size:1.25rem;font-variant-numeric:tabular-nums}
        .badge{display:inline-block;white-space:nowrap;padding:1px 8px;border-radius:10px;font-size:.8rem;font-weight:600;color:#fff;background:var(--grey);vertical-align:middle}
        .badge.ok{background:var(--ok)}.badge.problems{background:var(--warn)}.badge.failed{background:var(--bad)}
        .badge.running{background:var(--accent)}.badge.cancelled,.badge.interrupted{background:var(--grey)}
        .bad{color:var(--bad)}.warn{color:var(--warn)}.muted{color:var(--muted)}
        ul.bad li,ul.warn li{color:var(--fg)}ul.bad li::marker{color:var(--bad)}ul.warn li::marker{color:var(--warn)}
        .route{color:var(--muted);margin:.2em 0}
        .scroll{overflow-x:auto;max-width:100%;margin:.4em 0 .8em;border:1px solid var(--line);border-radius:6px}
        table{border-collapse:collapse;width:100%;font-size:.9rem;overflow-wrap:break-word}
        th,td{padding:4px 8px;text-align:left;vertical-align:top;border-bottom:1px solid var(--line);overflow-wrap:break-word}
        td{max-width:40ch}
        th{background:var(--panel);font-weight:600;white-space:nowrap;position:sticky;top:0}
        .n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        tbody tr:nth-child(even){background:#fafbfc}
        ul.samples{margin:0;padding-left:1.1em}
        details{margin:.4em 0}
        summary{cursor:pointer;color:var(--accent)}
        details.page{margin-left:.8em}
        .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:8px 28px}
        figure.chart{margin:.4em 0 1em;min-width:0}
        figcaption{font-size:.85rem;color:var(--muted);margin-bottom:4px}
        svg{display:block;overflow:hidden}
        svg text{font-size:12px;fill:var(--fg)}svg text.v{fill:var(--muted);font-variant-numeric:tabular-nums}
        rect.track{fill:#eef1f5}rect.bar{fill:var(--accent)}rect.alt{fill:var(--alt)}rect.bad{fill:var(--bad)}
        rect.phase1{fill:#2f9a8f}rect.phase2{fill:#c77c1e}rect.phase3{fill:var(--alt)}
        .problem{border-left:4px solid var(--warn);padding:4px 12px;margin:.8em 0;background:#fffaf0;min-width:0}
        .tree dl{margin:0 0 0 1em;display:grid;grid-template-columns:minmax(6em,max-content) 1fr;gap:2px 12px}
        .tree dt{text-transform:none;letter-spacing:0;font-size:.9rem;font-family:ui-monospace,monospace}
        .tree ol{margin:0;padding-left:2em}.tree .s{white-space:pre-wrap}
        footer{margin-top:2em;color:var(--muted);font-size:.8rem}
        @media (max-width:600px){body{font-size:14px}main{padding:10px}dl.facts,dl.figures{grid-template-columns:repeat(2,minmax(0,1fr))}}
        @media print{body{font-size:11px}main{max-width:none;padding:0}.scroll{overflow:visible;border:0}
          th{position:static}pre{white-space:pre-wrap}summary{color:var(--fg)}
          h2,h3,h4{break-after:avoid}figure.chart,tr,.problem{break-inside:avoid}
          .badge{border:1px solid #000;print-color-adjust:exact;-webkit-print-color-adjust:exact}
          rect{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
        """;
}
