using System.Text.Json.Serialization;

namespace Paseto.Auth.Application.SecurityEvents;

[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class EventJsonContext : JsonSerializerContext;
