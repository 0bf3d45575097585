using System.Collections.Frozen;
using System.Text;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>
/// The bundled list of about 49,000 common passwords (from the MIT-licensed
/// <c>@zxcvbn-ts/language-common</c>, see <c>Data/common-passwords.LICENSE.txt</c>), loaded once
/// from an embedded resource into a frozen set, plus the operator's list when configured.
/// Comparison is on the NFKC-normalised, lower-cased password: "Password1" is as weak as "password1".
/// </summary>
internal sealed class CommonPasswordBlocklist(OperatorPasswordList? operatorList) : IPasswordBlocklist
{
    private static readonly Lazy<FrozenSet<string>> _common = new(Load);

    public static int Count => _common.Value.Count;

    public bool IsBlocked(string password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return false;
        }

        var normalized = password.Normalize(NormalizationForm.FormKC);
        return _common.Value.Contains(normalized.ToLowerInvariant()) || (operatorList?.Contains(normalized) ?? false);
    }

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordBlocklist).Assembly.GetManifestResourceStream("Paseto.Auth.Infrastructure.Security.Data.common-passwords.txt")
            ?? throw new InvalidOperationException("The bundled common-password list is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var words = new List<string>(50_000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                words.Add(line.ToLowerInvariant());
            }
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
