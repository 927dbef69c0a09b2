using Microsoft.Extensions.Logging;

namespace Ferry.Cli.Commands;

/// <summary>A runner's log (migrations, copy), as notes and warnings on stderr.</summary>
internal sealed class StderrLogger(Invocation invocation) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
            return;
        var message = formatter(state, exception);
        if (logLevel >= LogLevel.Warning)
            invocation.Warn(message);
        else
            invocation.Note(message);
    }
}
