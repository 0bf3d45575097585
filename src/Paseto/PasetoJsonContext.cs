using System.Text.Json.Serialization;

namespace Paseto.Auth.Paseto;

/// <summary>
/// Source-generated serialization of the registered claims: no reflection on the token path.
/// Duplicate properties are refused, so a payload cannot carry two different <c>exp</c> values and
/// let different parsers disagree about which one counts. A context for a derived claims type
/// must refuse them too (<see cref="PasetoTokenFormat{TClaims}"/> checks).
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false,
    Converters = [typeof(Rfc3339DateTimeOffsetConverter)])]
[JsonSerializable(typeof(PasetoClaims))]
internal sealed partial class PasetoJsonContext : JsonSerializerContext;
