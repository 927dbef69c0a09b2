using System.Diagnostics;

namespace Ferry.Tests.Reports;

/// <summary>A fact that needs Debian's chromium (scripts/setup.sh installs it): skipped, saying why, where it is absent.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Executable is null)
            Skip = "chromium is not installed (scripts/setup.sh installs Debian's chromium package)";
    }
}

/// <summary>
/// Headless Chromium on a local file: its DOM once loaded, or a screenshot. Each run has a private profile folder
/// and is killed, with its children, when it outlives its time.
/// </summary>
internal static class HeadlessChromium
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static string? Executable { get; } =
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>The page's DOM as Chromium serializes it after loading <paramref name="htmlFile"/>.</summary>
    public static Task<string> DumpDomAsync(string htmlFile) => RunAsync("--dump-dom", new Uri(htmlFile).AbsoluteUri);

    /// <summary>A PNG of <paramref name="htmlFile"/> in a window of <paramref name="width"/> × <paramref name="height"/> CSS pixels.</summary>
    public static Task ScreenshotAsync(string htmlFile, string pngFile, int width, int height) =>
        RunAsync($"--screenshot={pngFile}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(htmlFile).AbsoluteUri);

    static async Task<string> RunAsync(params string[] args)
    {
        var profile = Directory.CreateTempSubdirectory("ferry-chromium-").FullName;
        try
        {
            var info = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("chromium is not installed"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // As root Chromium refuses to start without --no-sandbox; the rest keeps a test run quiet and offline.
            foreach (var arg in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile, "--no-first-run",
                         "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync", .. args])
                info.ArgumentList.Add(arg);
            info.Environment["HOME"] = profile;
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium {string.Join(' ', args)} did not end within {Timeout.TotalSeconds} s; stderr:\n{await stderr}");
            }

            if (process.ExitCode != 0)
                throw new InvalidOperationException($"chromium {string.Join(' ', args)} exited {process.ExitCode}; stderr:\n{await stderr}");
            return await stdout;
        }
        finally
        {
            DeleteProfile(profile);
        }
    }

    /// <summary>Deletes a run's profile; a helper process of Chromium still writing to it may delay that a moment.</summary>
    static void DeleteProfile(string profile)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(profile, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(200);
            }
        }
    }
}
