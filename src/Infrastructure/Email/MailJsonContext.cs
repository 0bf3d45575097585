using System.Text.Json.Serialization;

namespace Paseto.Auth.Infrastructure.Email;

[JsonSerializable(typeof(IReadOnlyDictionary<string, string?>))]
[JsonSerializable(typeof(Dictionary<string, string?>))]
internal sealed partial class MailJsonContext : JsonSerializerContext;
