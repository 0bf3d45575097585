namespace Paseto.Auth.Paseto;

/// <summary>The PASETO v4 purposes: <c>local</c> (XChaCha20 + BLAKE2b-MAC) and <c>public</c> (Ed25519).</summary>
public enum PasetoPurpose
{
    Local = 0,
    Public = 1,
}
