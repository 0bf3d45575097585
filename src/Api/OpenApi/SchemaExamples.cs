using Newtonsoft.Json.Linq;
using NJsonSchema.Generation;
using Paseto.Auth.Api.Hosting;
using Paseto.Auth.Api.Requests;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Auth;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Passkeys;
using Paseto.Auth.Application.Posts;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Application.Sessions;
using Paseto.Auth.Application.Users;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// An example for every property of every schema, so that Swagger UI shows (and pre-fills
/// "Try it out" with) values that look real instead of <c>"string"</c>. The request examples are
/// valid requests (the Development referer secret included); arrays take their items' examples.
/// Each example is keyed by its JSON name: one the schema lacks fails the document, so a rename
/// cannot leave an example behind.
/// </summary>
internal sealed class SchemaExamples : ISchemaProcessor
{
    private const string When = "2026-01-15T09:30:00Z";
    private const string SessionId = "3f2b8c4e-9d1a-4e7b-8c55-0a6f1e2d3b4c";
    private const string DeviceToken = "d2VqUnZrN1lTcFh0Q2gzTmFMMG1CcUU5ZnI2VWk0b0c";
    private const string MailToken = "cU1kR3d6TjhLdlRiWTJoRnBYc0E1ZWpVMW9DcjdMZ0k";
    private const string MfaToken = "bTNmUXc4ZEtyVjJ6TnBZaDVnTDFzQTdlQ2o0VWk5b1I";
    private const string PasskeyId = "019ad9a4-5c1e-7b3a-9f0e-2d4c6b8a1e37";
    private const string PasskeyChallengeId = "6c0e4f3a-2b8d-4e1f-9a7c-5d3b1e0f8a26";
    private const string PasskeyChallenge = "OzcBUfNeDjydxX9F3oN2bmKdfgAHyzLanAhj99JC5mY";
    private const string CredentialId = "TrZByyWZ5mUulqWIvKJOnS7JF2VHmTXWPWwlZ0Ix44A";
    private const string CreateClientData = "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiT3pjQlVmTmVEanlkeFg5RjNvTjJibUtkZmdBSHl6TGFuQWhqOTlKQzVtWSIsIm9yaWdpbiI6Imh0dHA6Ly9sb2NhbGhvc3Q6ODAwMCIsImNyb3NzT3JpZ2luIjpmYWxzZX0";

    /// <summary>An assertion as <c>PublicKeyCredential.toJSON()</c> writes it (the signature is not a real one).</summary>
    private const string AssertionCredential = """
        {"id": "TrZByyWZ5mUulqWIvKJOnS7JF2VHmTXWPWwlZ0Ix44A", "rawId": "TrZByyWZ5mUulqWIvKJOnS7JF2VHmTXWPWwlZ0Ix44A", "type": "public-key",
         "authenticatorAttachment": "platform",
         "response": {"clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiT3pjQlVmTmVEanlkeFg5RjNvTjJibUtkZmdBSHl6TGFuQWhqOTlKQzVtWSIsIm9yaWdpbiI6Imh0dHA6Ly9sb2NhbGhvc3Q6ODAwMCIsImNyb3NzT3JpZ2luIjpmYWxzZX0",
          "authenticatorData": "SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAABw",
          "signature": "MEUCIQDd7Bl0f2bJ1x7Rj5cK3u0wX8vS2e9TnQk4m6YpAh1ZqAIgCk2mJ0tYc5pH8yWqL3eR1uVb9nX4sD7fG2hK6jM0aBs",
          "userHandle": "KTg1SvWp8-UqrA6GXqcBeuajMHAqTMzb6g3yt71tzMg"},
         "clientExtensionResults": {}}
        """;

    private static readonly Dictionary<Type, JObject> _examples = new()
    {
        [typeof(Problem)] = Parse("""
            {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "Nothing exists at this address.",
             "trace_id": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
            """),
        [typeof(ValidationProblem)] = Parse("""
            {"type": "/problems/validation", "title": "One or more validation errors occurred.", "status": 400,
             "detail": "One or more fields are invalid.", "trace_id": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
             "errors": {"username": ["The username must have 3 to 32 characters."]}}
            """),
        [typeof(MfaRequiredProblem)] = Parse($$"""
            {"type": "/problems/mfa-required", "title": "Forbidden", "status": 403,
             "detail": "The password is right; this account also needs its second factor. Send a code with the mfa_token to /v1/login/mfa.",
             "trace_id": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "mfa_token": "{{MfaToken}}", "methods": ["totp", "recovery_code"]}
            """),
        [typeof(MfaLoginRequest)] = Parse($$"""{"mfa_token": "{{MfaToken}}", "code": "492039", "recovery_code": null, "device_token": "{{DeviceToken}}"}"""),
        [typeof(EnrollTotpRequest)] = Parse("""{"password": "correct horse battery staple"}"""),
        [typeof(TotpEnrollment)] = Parse("""
            {"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
             "otpauth_uri": "otpauth://totp/Paseto.Auth:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Paseto.Auth&algorithm=SHA1&digits=6&period=30",
             "qr_svg": "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"164\" height=\"164\">…</svg>"}
            """),
        [typeof(ConfirmTotpRequest)] = Parse("""{"code": "492039"}"""),
        [typeof(RecoveryCodeSet)] = Parse("""{"recovery_codes": ["7k2m-q9xd-4hpt-0vwa"]}"""),
        [typeof(DisableTotpRequest)] = Parse("""{"password": "correct horse battery staple", "code": "492039", "recovery_code": null}"""),
        [typeof(RegenerateRecoveryCodesRequest)] = Parse("""{"password": "correct horse battery staple", "code": "492039", "recovery_code": null}"""),
        [typeof(PasskeyCreationOptionsRequest)] = Parse($$"""{"password": "correct horse battery staple", "code": null, "recovery_code": null, "assertion": {"challenge_id": "{{PasskeyChallengeId}}", "credential": {{AssertionCredential}} } }"""),
        [typeof(PasskeyCeremony)] = Parse($$"""
            {"challenge_id": "{{PasskeyChallengeId}}",
             "options": {"challenge": "{{PasskeyChallenge}}", "timeout": 300000, "rpId": "localhost", "allowCredentials": [], "userVerification": "required", "hints": []} }
            """),
        [typeof(AddPasskeyRequest)] = Parse($$"""
            {"challenge_id": "{{PasskeyChallengeId}}", "name": "Laptop",
             "credential": {"id": "{{CredentialId}}", "rawId": "{{CredentialId}}", "type": "public-key", "authenticatorAttachment": "platform",
              "response": {"clientDataJSON": "{{CreateClientData}}", "attestationObject": "o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVgl", "transports": ["internal", "hybrid"]},
              "clientExtensionResults": {} } }
            """),
        [typeof(PasskeyAdded)] = Parse($$"""{"id": "{{PasskeyId}}", "name": "Laptop", "created_at": "{{When}}", "last_used_at": null, "recovery_codes": ["7k2m-q9xd-4hpt-0vwa"]}"""),
        [typeof(PasskeyView)] = Parse($$"""{"id": "{{PasskeyId}}", "name": "Laptop", "created_at": "{{When}}", "last_used_at": "{{When}}"}"""),
        [typeof(RenamePasskeyRequest)] = Parse("""{"name": "Work laptop"}"""),
        [typeof(RemovePasskeyRequest)] = Parse($$"""{"code": null, "recovery_code": null, "assertion": {"challenge_id": "{{PasskeyChallengeId}}", "credential": {{AssertionCredential}} } }"""),
        [typeof(PasskeyAssertion)] = Parse($$"""{"challenge_id": "{{PasskeyChallengeId}}", "credential": {{AssertionCredential}} }"""),
        [typeof(PasskeyRequestOptionsRequest)] = Parse("""{"username": "alice", "mfa_token": null}"""),
        [typeof(PasskeyLoginRequest)] = Parse($$"""{"challenge_id": "{{PasskeyChallengeId}}", "credential": {{AssertionCredential}}, "device_token": "{{DeviceToken}}"}"""),
        [typeof(SignupUserRequest)] = Parse("""
            {"username": "alice", "email": "alice@example.com", "password": "correct horse battery staple", "firstname": "Alice",
             "referer_secret": "DEMO_PROJECT", "role": "member"}
            """),
        [typeof(LoginRequest)] = Parse($$"""{"username": "alice", "password": "correct horse battery staple", "device_token": "{{DeviceToken}}"}"""),
        [typeof(LoginForm)] = Parse($$"""
            {"grant_type": "password", "username": "alice", "password": "correct horse battery staple", "device_token": "{{DeviceToken}}"}
            """),
        [typeof(TokenResponse)] = Parse($$"""
            {"access_token": "v4.local.kQ3pZC1yKf0m8n2vQ8e5XbZ1tq7Yw9c4Rj6uT0sL2aH5dG8fE3iB7oN1xV4zM6pW9cU2kJ5hF8gD3lS0rA7eY1qT4",
             "token_type": "bearer", "expires_in": 900, "refresh_token": "Zm9xN2h1Q2tLd3RvUzRiZ0VqVnlQcjhNZVd6QTF1YzM",
             "refresh_expires_in": 1209600, "session_id": "{{SessionId}}", "device_token": "{{DeviceToken}}"}
            """),
        [typeof(RefreshTokensRequest)] = Parse("""{"refresh_token": "Zm9xN2h1Q2tLd3RvUzRiZ0VqVnlQcjhNZVd6QTF1YzM"}"""),
        [typeof(UserProfile)] = Parse($$"""
            {"id": 42, "username": "alice", "email": "alice@example.com", "firstname": "Alice", "role": "member", "is_active": true,
             "created_at": "{{When}}", "updated_at": "{{When}}", "email_verified": true, "pending_email": "alice@example.org",
             "mfa_enabled": false}
            """),
        [typeof(VerifyEmailRequest)] = Parse($$"""{"token": "{{MailToken}}"}"""),
        [typeof(CancelEmailChangeRequest)] = Parse($$"""{"token": "{{MailToken}}"}"""),
        [typeof(ForgotPasswordRequest)] = Parse("""{"email": "alice@example.com"}"""),
        [typeof(ForgotPasswordResponse)] = Parse($$"""{"detail": "{{ForgotPasswordResponse.Accepted.Detail}}"}"""),
        [typeof(ResetPasswordRequest)] = Parse($$"""{"token": "{{MailToken}}", "new_password": "a longer passphrase of my own", "code": "492039", "recovery_code": null}"""),
        [typeof(UserPage)] = Parse("""{"next_cursor": "AAAAKg"}"""),
        [typeof(UpdateProfileRequest)] = Parse("""
            {"firstname": "Alice", "email": "alice@example.org", "username": "alice_b", "current_password": "correct horse battery staple",
             "code": "492039", "recovery_code": null}
            """),
        [typeof(ChangePasswordRequest)] = Parse("""
            {"current_password": "correct horse battery staple", "new_password": "a longer passphrase of my own", "code": "492039", "recovery_code": null}
            """),
        [typeof(DeactivateAccountRequest)] = Parse("""{"password": "correct horse battery staple", "code": "492039", "recovery_code": null}"""),
        [typeof(AdminUpdateUserRequest)] = Parse("""{"role": "admin", "is_active": true}"""),
        [typeof(SessionInfo)] = Parse($$"""
            {"id": "{{SessionId}}", "created_at": "{{When}}", "last_seen_at": "{{When}}", "expires_at": "2026-02-14T09:30:00Z",
             "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "ip": "203.0.113.7", "current": true}
            """),
        [typeof(DeviceInfo)] = Parse($$"""
            {"id": "8a1d5e2f-6b3c-4f9a-9e7d-1c2b3a4f5e6d", "created_at": "{{When}}", "last_used_at": "{{When}}",
             "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}
            """),
        [typeof(SecurityEventInfo)] = Parse($$"""
            {"id": 1234, "type": "session_revoked", "at": "{{When}}", "session_id": "{{SessionId}}", "ip": "203.0.113.7",
             "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
             "details": {"reason": "revoked_by_user", "by": "self"} }
            """),
        [typeof(SecurityEventPage)] = Parse("""{"next_cursor": "AAAAAAAABNI"}"""),
        [typeof(PublicKeyInfo)] = Parse("""
            {"kid": "k4.pid.yh4-bJYjOYAG6CWy0zsfPmpKylxS7uAWrxqVmBN2KAiJ", "paserk": "k4.public.cHFyc3R1dnd4eXp7fH1-f4CBgoOEhYaHiImKi4yNjo8",
             "status": "active"}
            """),
        [typeof(PostView)] = Parse($$"""
            {"id": 7, "author": "alice", "title": "Hello, members", "body": "The first post.\nWelcome!", "created_at": "{{When}}",
             "updated_at": "{{When}}", "version": 1}
            """),
        [typeof(PostPage)] = Parse("""{"next_cursor": "AQAGSGneYhYAAAAABw"}"""),
        [typeof(CreatePostRequest)] = Parse("""{"title": "Hello, members", "body": "The first post.\nWelcome!"}"""),
        [typeof(UpdatePostRequest)] = Parse("""{"title": "Hello again, members", "body": "The first post, edited."}"""),
        [typeof(IntrospectionForm)] = Parse("""
            {"token": "v4.local.kQ3pZC1yKf0m8n2vQ8e5XbZ1tq7Yw9c4Rj6uT0sL2aH5dG8fE3iB7oN1xV4zM6pW9cU2kJ5hF8gD3lS0rA7eY1qT4",
             "token_type_hint": "access_token"}
            """),
        [typeof(IntrospectionResponse)] = Parse($$"""
            {"active": true, "sub": "42", "sid": "{{SessionId}}", "username": "alice", "role": "member", "iss": "paseto-auth",
             "aud": "paseto-auth", "exp": 1768470300, "iat": 1768469400, "jti": "019bc1a2-7e4f-7c3d-9a5b-2f8e6d4c1b0a"}
            """),
        [typeof(HealthResponse)] = Parse("""{"status": "healthy"}"""),
    };

    public void Process(SchemaProcessorContext context)
    {
        // A schema that only refers to the type's own schema (which gets the examples itself) is left alone.
        if (context.Schema.Reference is not null || !_examples.TryGetValue(context.ContextualType.Type, out var examples))
        {
            return;
        }

        foreach (var (name, value) in examples)
        {
            if (!context.Schema.Properties.TryGetValue(name, out var property))
            {
                throw new InvalidOperationException($"The schema of {context.ContextualType.Type.Name} has no property '{name}' for its example.");
            }

            property.Example = value;
        }
    }

    private static JObject Parse(string json) => JObject.Parse(json);
}
