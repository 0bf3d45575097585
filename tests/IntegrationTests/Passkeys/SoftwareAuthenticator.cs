using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Paseto.Auth.IntegrationTests.Passkeys;

/// <summary>
/// A WebAuthn authenticator and browser in one, in software, for the tests: ES256 (ECDSA P-256)
/// credentials, authenticator data as WebAuthn Level 3 §6.1 lays it out (RP id hash, flags,
/// big-endian counter, attested credential data with a COSE_Key), a <c>none</c> attestation
/// object in CBOR, the client data JSON a browser writes, and assertion signatures over
/// authenticatorData ‖ SHA-256(clientDataJSON). It answers with the JSON of
/// <c>PublicKeyCredential.toJSON()</c>. <see cref="Ceremony"/> bends one thing at a time, as an
/// attacker (or a phishing page) would.
/// </summary>
internal sealed class SoftwareAuthenticator
{
    private const byte UserPresent = 0x01;
    private const byte UserVerified = 0x04;
    private const byte BackupEligible = 0x08;
    private const byte BackedUp = 0x10;
    private const byte AttestedData = 0x40;

    private readonly List<Credential> _credentials = [];

    public SoftwareAuthenticator(string origin = PasskeyTestBase.Origin) => Origin = origin;

    /// <summary>The origin the "browser" writes into the client data.</summary>
    public string Origin { get; }

    public IReadOnlyList<Credential> Credentials => _credentials;

    /// <summary>
    /// Answers creation options (the <c>options</c> of <c>POST /v1/users/me/passkeys/options</c>)
    /// with a new credential for <c>options.user.id</c>, as <c>navigator.credentials.create()</c> would.
    /// </summary>
    public JsonObject Create(JsonElement options, Ceremony? ceremony = null)
    {
        var c = ceremony ?? new Ceremony();
        var credential = new Credential(RandomNumberGenerator.GetBytes(32), ECDsa.Create(ECCurve.NamedCurves.nistP256), Base64Url.DecodeFromChars(options.GetProperty("user").GetProperty("id").GetString()), c.Synced);
        var rpId = c.RpId ?? options.GetProperty("rp").GetProperty("id").GetString()!;
        var clientData = ClientData(c.Type ?? "webauthn.create", c.Challenge ?? options.GetProperty("challenge").GetString()!, c.Origin ?? Origin);

        var authData = new List<byte>();
        authData.AddRange(SHA256.HashData(Encoding.UTF8.GetBytes(rpId)));
        authData.Add(Flags(c, AttestedData));
        authData.AddRange(BigEndian(c.Counter ?? credential.SignCount));
        authData.AddRange(new byte[16]); // AAGUID: zeroes, as attestation "none" often has.
        authData.AddRange([(byte)(credential.Id.Length >> 8), (byte)credential.Id.Length]);
        authData.AddRange(credential.Id);
        authData.AddRange(credential.CoseKey());

        var cbor = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cbor.WriteStartMap(3);
        cbor.WriteTextString("fmt");
        cbor.WriteTextString("none");
        cbor.WriteTextString("attStmt");
        cbor.WriteStartMap(0);
        cbor.WriteEndMap();
        cbor.WriteTextString("authData");
        cbor.WriteByteString([.. authData]);
        cbor.WriteEndMap();

        _credentials.Add(credential);
        return new JsonObject
        {
            ["id"] = B64(credential.Id),
            ["rawId"] = B64(credential.Id),
            ["type"] = "public-key",
            ["authenticatorAttachment"] = "platform",
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = B64(clientData),
                ["attestationObject"] = B64(cbor.Encode()),
                ["transports"] = new JsonArray("internal", "hybrid"),
            },
            ["clientExtensionResults"] = new JsonObject(),
        };
    }

    /// <summary>
    /// Answers request options (of <c>POST /v1/passkeys/login/options</c>) with an assertion of
    /// <paramref name="credential"/> (the first one made by default), as <c>navigator.credentials.get()</c>
    /// would; the counter goes up by one first unless the credential is synced (always 0).
    /// </summary>
    public JsonObject Get(JsonElement options, Credential? credential = null, Ceremony? ceremony = null)
    {
        var c = ceremony ?? new Ceremony();
        var cred = credential ?? _credentials[0];
        if (!cred.Synced)
        {
            cred.SignCount++;
        }

        var rpId = c.RpId ?? options.GetProperty("rpId").GetString()!;
        var clientData = ClientData(c.Type ?? "webauthn.get", c.Challenge ?? options.GetProperty("challenge").GetString()!, c.Origin ?? Origin);
        var authData = new List<byte>();
        authData.AddRange(SHA256.HashData(Encoding.UTF8.GetBytes(rpId)));
        authData.Add(Flags(c with { Synced = cred.Synced }, 0));
        authData.AddRange(BigEndian(c.Counter ?? cred.SignCount));
        byte[] signed = [.. authData, .. SHA256.HashData(clientData)];
        var signature = cred.Key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var response = new JsonObject
        {
            ["clientDataJSON"] = B64(clientData),
            ["authenticatorData"] = B64([.. authData]),
            ["signature"] = B64(signature),
        };
        if (c.SendUserHandle)
        {
            response["userHandle"] = B64(cred.UserHandle);
        }

        return new JsonObject
        {
            ["id"] = B64(cred.Id),
            ["rawId"] = B64(cred.Id),
            ["type"] = "public-key",
            ["authenticatorAttachment"] = "platform",
            ["response"] = response,
            ["clientExtensionResults"] = new JsonObject(),
        };
    }

    private static byte Flags(Ceremony c, byte extra)
    {
        var flags = (byte)(UserPresent | extra);
        if (c.UserVerified)
        {
            flags |= UserVerified;
        }

        if (c.Synced)
        {
            flags |= BackupEligible | BackedUp;
        }

        return flags;
    }

    private static byte[] ClientData(string type, string challenge, string origin) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object> { ["type"] = type, ["challenge"] = challenge, ["origin"] = origin, ["crossOrigin"] = false }));

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    public static string B64(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>One credential the authenticator holds: its id, private key, user handle and counter.</summary>
    internal sealed class Credential(byte[] id, ECDsa key, byte[] userHandle, bool synced)
    {
        public byte[] Id { get; } = id;

        public ECDsa Key { get; } = key;

        public byte[] UserHandle { get; } = userHandle;

        /// <summary>A synced passkey: BE and BS set, and the counter always 0.</summary>
        public bool Synced { get; } = synced;

        public uint SignCount { get; set; }

        /// <summary>The public key as a COSE_Key (RFC 9053 EC2, ES256), keys in CTAP2 canonical order.</summary>
        public byte[] CoseKey()
        {
            var p = Key.ExportParameters(false);
            var cbor = new CborWriter(CborConformanceMode.Ctap2Canonical);
            cbor.WriteStartMap(5);
            cbor.WriteInt32(1); // kty
            cbor.WriteInt32(2); // EC2
            cbor.WriteInt32(3); // alg
            cbor.WriteInt32(-7); // ES256
            cbor.WriteInt32(-1); // crv
            cbor.WriteInt32(1); // P-256
            cbor.WriteInt32(-2); // x
            cbor.WriteByteString(p.Q.X!);
            cbor.WriteInt32(-3); // y
            cbor.WriteByteString(p.Q.Y!);
            cbor.WriteEndMap();
            return cbor.Encode();
        }
    }
}

/// <summary>What one ceremony bends: another origin, RP id, challenge or type, no user verification, a counter of choice.</summary>
internal sealed record Ceremony
{
    public string? Origin { get; init; }

    public string? RpId { get; init; }

    public string? Challenge { get; init; }

    public string? Type { get; init; }

    public bool UserVerified { get; init; } = true;

    public uint? Counter { get; init; }

    /// <summary>For a new credential: a synced passkey (BE|BS, counter 0).</summary>
    public bool Synced { get; init; }

    /// <summary>Whether the assertion carries the user handle (a discoverable credential's does).</summary>
    public bool SendUserHandle { get; init; } = true;
}
