using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paseto.Auth.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The <c>sessions</c> update trigger on named columns instead of the whole row as JSON: every
    /// refresh paid for two <c>to_jsonb</c> rows and their comparison only to learn that nothing
    /// the session cache keeps had moved. <c>UPDATE OF</c> lets PostgreSQL skip the trigger before
    /// its condition when a statement sets none of those columns (the rotation sets only its own
    /// four); the condition still notifies only a real change. A column added to <c>sessions</c>
    /// later must be added to both lists or to the rotation's: <c>SessionNotifyTriggerTests</c>
    /// fails until it is.
    /// </summary>
    public partial class SessionCacheNotifyNamedColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER sessions_notify_cache_update ON paseto_auth.sessions;
                CREATE TRIGGER sessions_notify_cache_update
                  AFTER UPDATE OF id, user_id, created_at, expires_at, revoked_at, revoke_reason, user_agent, ip, auth_methods
                  ON paseto_auth.sessions
                  FOR EACH ROW WHEN (
                    (OLD.id, OLD.user_id, OLD.created_at, OLD.expires_at, OLD.revoked_at, OLD.revoke_reason, OLD.user_agent, OLD.ip, OLD.auth_methods)
                    IS DISTINCT FROM
                    (NEW.id, NEW.user_id, NEW.created_at, NEW.expires_at, NEW.revoked_at, NEW.revoke_reason, NEW.user_agent, NEW.ip, NEW.auth_methods))
                  EXECUTE FUNCTION paseto_auth.notify_session_cache();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER sessions_notify_cache_update ON paseto_auth.sessions;
                CREATE TRIGGER sessions_notify_cache_update AFTER UPDATE ON paseto_auth.sessions
                  FOR EACH ROW WHEN (
                    to_jsonb(OLD) - ARRAY['last_seen_at', 'refresh_token_hash', 'refresh_generation', 'refresh_expires_at']
                    IS DISTINCT FROM to_jsonb(NEW) - ARRAY['last_seen_at', 'refresh_token_hash', 'refresh_generation', 'refresh_expires_at'])
                  EXECUTE FUNCTION paseto_auth.notify_session_cache();
                """);
        }
    }
}
