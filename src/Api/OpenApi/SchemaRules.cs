using System.Runtime.CompilerServices;
using NJsonSchema;
using NJsonSchema.Generation;
using Paseto.Auth.Api.Requests;
using Paseto.Auth.Application.Auth;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Application.Users;
using Paseto.Auth.Domain.Posts;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// Writes into the schemas the limits the validators enforce, read from the constants the
/// validators use, so each number is written once: a client learns before sending what will be
/// refused, and Swagger UI's forms show it. Lengths count characters (Unicode code points), as
/// JSON Schema and the validators do. A rule names its property with <c>nameof</c>, so renaming
/// one renames the other; a rule whose property is missing from the schema fails the document.
/// </summary>
internal sealed class SchemaRules(IReadOnlyList<string> selfAssignableRoles) : ISchemaProcessor
{
    private delegate void Rule(JsonSchemaProperty property, JsonSchemaResolver resolver);

    private static readonly Rule _username = Text(UserRules.UsernameMinLength, UserRules.UsernameMaxLength, pattern: UserRules.UsernamePattern);
    private static readonly Rule _email = Text(0, UserRules.EmailMaxLength, format: JsonFormatStrings.Email);
    private static readonly Rule _firstname = Text(1, UserRules.FirstnameMaxLength);
    private static readonly Rule _newPassword = Text(PasswordRules.MinLength, PasswordRules.MaxLength,
        description: $"{PasswordRules.MinLength}–{PasswordRules.MaxLength} characters after NFKC normalisation; not the username or the email, nor a common or breached password.");

    // Where a password is presented rather than set, only its size is checked: the policy stays untold.
    private static readonly Rule _presentedPassword = Text(1, PasswordRules.PresentedMaxLength);
    private static readonly Rule _loginName = Text(1, UserRules.EmailMaxLength);
    private static readonly Rule _postTitle = Text(1, Post.TitleMaxLength, description: "Not blank; counted once trimmed; no control characters.");
    private static readonly Rule _postBody = Text(0, Post.BodyMaxLength, description: "Tab and line breaks are the only control characters allowed.");
    private static readonly Rule _role = Enumeration("Role", Roles.All, "A role: what its holder may do.");

    /// <summary>The named sets of each document made so far, by name: each is made once per document.</summary>
    private static readonly ConditionalWeakTable<JsonSchemaResolver, Dictionary<string, JsonSchema>> _named = [];

    private readonly Dictionary<Type, (string Property, Rule Rule)[]> _rules = new()
    {
        [typeof(SignupUserRequest)] =
        [
            (nameof(SignupUserRequest.Username), _username),
            (nameof(SignupUserRequest.Email), _email),
            (nameof(SignupUserRequest.Password), _newPassword),
            (nameof(SignupUserRequest.Firstname), _firstname),
            (nameof(SignupUserRequest.Role), Enumeration("SelfAssignableRole", selfAssignableRoles,
                "A role a person may pick at signup (Auth:SelfAssignableRoles).")),
        ],
        [typeof(LoginRequest)] =
        [
            (nameof(LoginRequest.Username), _loginName),
            (nameof(LoginRequest.Password), _presentedPassword),
        ],
        [typeof(LoginForm)] =
        [
            (nameof(LoginForm.GrantType), Enumeration("GrantType", [LoginUserCommand.PasswordGrant],
                "The OAuth 2.0 grant: only the password grant.")),
            (nameof(LoginForm.Username), _loginName),
            (nameof(LoginForm.Password), _presentedPassword),
        ],
        [typeof(RefreshTokensRequest)] = [(nameof(RefreshTokensRequest.RefreshToken), Text(1, null))],
        [typeof(UpdateProfileRequest)] =
        [
            (nameof(UpdateProfileRequest.Firstname), _firstname),
            (nameof(UpdateProfileRequest.Email), _email),
            (nameof(UpdateProfileRequest.Username), _username),
            (nameof(UpdateProfileRequest.CurrentPassword), Text(0, PasswordRules.PresentedMaxLength)),
        ],
        [typeof(ChangePasswordRequest)] =
        [
            (nameof(ChangePasswordRequest.CurrentPassword), _presentedPassword),
            (nameof(ChangePasswordRequest.NewPassword), _newPassword),
        ],
        [typeof(DeactivateAccountRequest)] = [(nameof(DeactivateAccountRequest.Password), _presentedPassword)],
        [typeof(AdminUpdateUserRequest)] = [(nameof(AdminUpdateUserRequest.Role), _role)],
        [typeof(CreatePostRequest)] =
        [
            (nameof(CreatePostRequest.Title), _postTitle),
            (nameof(CreatePostRequest.Body), _postBody),
        ],
        [typeof(UpdatePostRequest)] =
        [
            (nameof(UpdatePostRequest.Title), _postTitle),
            (nameof(UpdatePostRequest.Body), _postBody),
        ],
        [typeof(UserProfile)] =
        [
            (nameof(UserProfile.Email), Text(0, null, format: JsonFormatStrings.Email)),
            (nameof(UserProfile.Role), _role),
        ],
        [typeof(SecurityEventInfo)] = [(nameof(SecurityEventInfo.Type), Reference(SecurityEventType))],
    };

    public void Process(SchemaProcessorContext context)
    {
        // A schema that only refers to the type's own schema (which gets the rules itself) is left alone.
        if (context.Schema.Reference is not null || !_rules.TryGetValue(context.ContextualType.Type, out var rules))
        {
            return;
        }

        foreach (var (property, rule) in rules)
        {
            var member = context.ContextualType.Properties.Single(p => p.Name == property);
            var name = context.Settings.ReflectionService.GetPropertyName(member, context.Settings);
            if (!context.Schema.Properties.TryGetValue(name, out var schema))
            {
                throw new InvalidOperationException($"The schema of {context.ContextualType.Type.Name} has no property '{name}' for its rule.");
            }

            rule(schema, context.Resolver);
        }
    }

    /// <summary>The schema of the security event types, which the event lists' <c>type</c> filter takes too.</summary>
    public static JsonSchema SecurityEventType(JsonSchemaResolver resolver) =>
        Named(resolver, "SecurityEventType", SecurityEventTypes.All, "The kind of a security event.");

    private static Rule Text(int minLength, int? maxLength, string? format = null, string? pattern = null, string? description = null) => (schema, _) =>
    {
        schema.MinLength = minLength > 0 ? minLength : null;
        schema.MaxLength = maxLength;
        schema.Format = format ?? schema.Format;
        schema.Pattern = pattern;
        schema.Description ??= description;
    };

    /// <summary>
    /// A string from a fixed set, as a schema of its own named <paramref name="name"/>, so that
    /// clients get one type for it wherever it appears.
    /// </summary>
    private static Rule Enumeration(string name, IEnumerable<string> values, string description) =>
        Reference(resolver => Named(resolver, name, values, description));

    /// <summary>
    /// The property takes the schema <paramref name="named"/> gives. OpenAPI 3.0 cannot say "this
    /// schema, or null" without a type beside the reference, so a nullable property becomes one
    /// that may be left out: for these the server reads null and absent alike.
    /// </summary>
    private static Rule Reference(Func<JsonSchemaResolver, JsonSchema> named) => (property, resolver) =>
    {
        property.Type = JsonObjectType.None;
        property.IsNullableRaw = null;
        property.AllOf.Add(new JsonSchema { Reference = named(resolver) });
    };

    /// <summary>The schema of a named set of strings in this document, made on first use.</summary>
    private static JsonSchema Named(JsonSchemaResolver resolver, string name, IEnumerable<string> values, string description)
    {
        var named = _named.GetOrCreateValue(resolver);
        if (named.TryGetValue(name, out var made))
        {
            return made;
        }

        var schema = new JsonSchema { Type = JsonObjectType.String, Description = description };
        foreach (var value in values)
        {
            schema.Enumeration.Add(value);
        }

        resolver.AppendSchema(schema, name);
        named[name] = schema;
        return schema;
    }
}
