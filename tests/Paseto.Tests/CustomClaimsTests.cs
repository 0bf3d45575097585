using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Time.Testing;

namespace Paseto.Auth.Paseto.Tests;

/// <summary>Claims of one's own, carried by a record derived from <see cref="PasetoClaims"/> with a context of its own.</summary>
public sealed class CustomClaimsTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly PasetoValidationOptions _options = new() { Issuer = "iss", Audience = "aud" };

    private readonly SymmetricKey _key = SymmetricKey.Generate();
    private FakeTimeProvider _time = null!;
    private PasetoTokenFormat<MemberClaims> _format = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(_now);
        _format = new PasetoTokenFormat<MemberClaims>(KeyRing.ForLocal([_key]), _options, _time, MemberClaimsJsonContext.Default.MemberClaims);
    }

    [Test]
    public void Custom_claims_travel_with_the_registered_ones()
    {
        var claims = ValidClaims();

        var ok = _format.TryDecode(_format.Encode(claims), out var decoded, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True, error.ToString());
            Assert.That(decoded, Is.EqualTo(claims));
            Assert.That(decoded!.Role, Is.EqualTo("member"));
        });
    }

    [Test]
    public void A_token_without_a_claim_the_type_requires_is_refused_as_missing()
    {
        Assert.That(Decode(_format.Encode(ValidClaims() with { Role = null })), Is.EqualTo(PasetoTokenError.MissingClaims));
    }

    [Test]
    public void A_claim_the_type_requires_is_missing_before_the_token_is_expired()
    {
        var token = _format.Encode(ValidClaims() with { Role = null });

        _time.SetUtcNow(_now.AddDays(1));

        Assert.That(Decode(token), Is.EqualTo(PasetoTokenError.MissingClaims));
    }

    [Test]
    public void The_registered_times_of_a_derived_type_are_rfc3339()
    {
        var json = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(ValidClaims(), MemberClaimsJsonContext.Default.MemberClaims));
        var withoutOffset = MakeToken("{\"iss\":\"iss\",\"aud\":\"aud\",\"iat\":\"2026-11-28T12:00:00Z\",\"nbf\":\"2026-11-28T12:00:00Z\","
            + "\"exp\":\"2026-11-28T12:15:00\",\"role\":\"member\"}");

        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Contain("\"exp\":\"2026-11-28T12:15:00Z\""));
            Assert.That(Decode(withoutOffset), Is.EqualTo(PasetoTokenError.InvalidClaims));
        });
    }

    [Test]
    public void A_custom_claim_given_twice_is_refused()
    {
        var token = MakeToken("{\"iss\":\"iss\",\"aud\":\"aud\",\"iat\":\"2026-11-28T12:00:00Z\",\"nbf\":\"2026-11-28T12:00:00Z\","
            + "\"exp\":\"2026-11-28T12:15:00Z\",\"role\":\"member\",\"role\":\"admin\"}");

        Assert.That(Decode(token), Is.EqualTo(PasetoTokenError.InvalidClaims));
    }

    [Test]
    public void Json_options_that_allow_duplicate_or_case_insensitive_names_are_refused()
    {
        var duplicates = new JsonSerializerOptions(MemberClaimsJsonContext.Default.Options) { AllowDuplicateProperties = true };
        var anyCase = new JsonSerializerOptions(MemberClaimsJsonContext.Default.Options) { PropertyNameCaseInsensitive = true };

        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => new PasetoTokenFormat<MemberClaims>(KeyRing.ForLocal([_key]), _options, _time, TypeInfo(duplicates)));
            Assert.Throws<ArgumentException>(() => new PasetoTokenFormat<MemberClaims>(KeyRing.ForLocal([_key]), _options, _time, TypeInfo(anyCase)));
        });
    }

    private static JsonTypeInfo<MemberClaims> TypeInfo(JsonSerializerOptions options) =>
        (JsonTypeInfo<MemberClaims>)options.GetTypeInfo(typeof(MemberClaims));

    private static MemberClaims ValidClaims() => new()
    {
        Issuer = "iss",
        Audience = "aud",
        Subject = "42",
        IssuedAt = _now,
        NotBefore = _now,
        Expiration = _now.AddMinutes(15),
        Role = "member",
    };

    private PasetoTokenError Decode(string token)
    {
        _format.TryDecode(token, out _, out var error);
        return error;
    }

    private string MakeToken(string json) =>
        PasetoV4Local.Encrypt(_key, Encoding.UTF8.GetBytes(json), Encoding.UTF8.GetBytes($"{{\"kid\":\"{_key.Id}\"}}"));
}

/// <summary>Registered claims plus a required <c>role</c>.</summary>
public sealed record MemberClaims : PasetoClaims
{
    [JsonPropertyName("role")]
    public string? Role { get; set; }

    protected override bool HasRequiredClaims() => !string.IsNullOrEmpty(Role);
}

/// <summary>A context as a user of the library writes it: no converters of its own.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(MemberClaims))]
internal sealed partial class MemberClaimsJsonContext : JsonSerializerContext;
