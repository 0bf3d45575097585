using System;
using System.Net;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Paseto.Auth.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SecurityEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "security_events",
                schema: "paseto_auth",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    user_id = table.Column<int>(type: "integer", nullable: false),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: true),
                    ip = table.Column<IPAddress>(type: "inet", nullable: true),
                    user_agent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    details = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_security_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_security_events_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "paseto_auth",
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_security_events_at",
                schema: "paseto_auth",
                table: "security_events",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_security_events_user_id_id",
                schema: "paseto_auth",
                table: "security_events",
                columns: new[] { "user_id", "id" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_security_events_user_id_type_id",
                schema: "paseto_auth",
                table: "security_events",
                columns: new[] { "user_id", "type", "id" },
                descending: new[] { false, false, true });

            // Append-only: history is never rewritten. Rows leave only through the retention delete.
            migrationBuilder.Sql("""
                CREATE FUNCTION paseto_auth.security_events_append_only() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'security_events is append-only';
                END $$;
                CREATE TRIGGER security_events_no_update BEFORE UPDATE ON paseto_auth.security_events
                    FOR EACH ROW EXECUTE FUNCTION paseto_auth.security_events_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS security_events_no_update ON paseto_auth.security_events; DROP FUNCTION IF EXISTS paseto_auth.security_events_append_only();");

            migrationBuilder.DropTable(
                name: "security_events",
                schema: "paseto_auth");
        }
    }
}
