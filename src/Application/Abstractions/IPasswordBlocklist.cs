namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// Passwords nobody may choose (OWASP ASVS 2.1.7, NIST SP 800-63B §5.1.1.2): a bundled list of
/// common passwords and, optionally, the operator's own list.
/// </summary>
public interface IPasswordBlocklist
{
    bool IsBlocked(string password);
}
