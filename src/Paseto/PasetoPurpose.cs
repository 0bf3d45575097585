namespace Paseto.Auth.Paseto;

/// <summary>The PASETO v4 purposes: <c>local</c> (XChaCha20 + BLAKE2b-MAC) and <c>public</c> (Ed25519).</summary>
public enum PasetoPurpose
{
    /// <summary><c>v4.local</c>: encrypted and authenticated with a shared <see cref="SymmetricKey"/>.</summary>
    Local = 0,

    /// <summary><c>v4.public</c>: signed with an <see cref="AsymmetricSecretKey"/>, readable by anyone, verified with its public key.</summary>
    Public = 1,
}
