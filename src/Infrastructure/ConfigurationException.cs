namespace Paseto.Auth.Infrastructure;

/// <summary>
/// A setting is missing or wrong, so the service cannot start. The message is meant for the
/// operator's terminal as it is: it names the setting and the fix, and never the setting's value
/// (a database URL holds a password; a key is a secret). The host prints it as one line and exits 1.
/// </summary>
public sealed class ConfigurationException : InvalidOperationException
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigurationException()
    {
    }
}
