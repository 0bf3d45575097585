using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paseto.Auth.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Passkeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "passkey_user_handle",
                schema: "paseto_auth",
                table: "users",
                type: "bytea",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "passkey_challenges",
                schema: "paseto_auth",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    purpose = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    user_id = table.Column<int>(type: "integer", nullable: true),
                    mfa_challenge_id = table.Column<Guid>(type: "uuid", nullable: true),
                    options = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_passkey_challenges", x => x.id);
                    table.ForeignKey(
                        name: "fk_passkey_challenges_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "paseto_auth",
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "passkeys",
                schema: "paseto_auth",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<int>(type: "integer", nullable: false),
                    credential_id = table.Column<byte[]>(type: "bytea", maxLength: 1023, nullable: false),
                    public_key = table.Column<byte[]>(type: "bytea", maxLength: 2048, nullable: false),
                    sign_count = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    aaguid = table.Column<Guid>(type: "uuid", nullable: false),
                    transports = table.Column<string[]>(type: "text[]", nullable: false),
                    backup_eligible = table.Column<bool>(type: "boolean", nullable: false),
                    backed_up = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_passkeys", x => x.id);
                    table.ForeignKey(
                        name: "fk_passkeys_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "paseto_auth",
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_users_passkey_user_handle",
                schema: "paseto_auth",
                table: "users",
                column: "passkey_user_handle",
                unique: true,
                filter: "passkey_user_handle IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_passkey_challenges_expires_at",
                schema: "paseto_auth",
                table: "passkey_challenges",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_passkey_challenges_user_id",
                schema: "paseto_auth",
                table: "passkey_challenges",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_passkeys_credential_id",
                schema: "paseto_auth",
                table: "passkeys",
                column: "credential_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_passkeys_user_id",
                schema: "paseto_auth",
                table: "passkeys",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "passkey_challenges",
                schema: "paseto_auth");

            migrationBuilder.DropTable(
                name: "passkeys",
                schema: "paseto_auth");

            migrationBuilder.DropIndex(
                name: "ix_users_passkey_user_handle",
                schema: "paseto_auth",
                table: "users");

            migrationBuilder.DropColumn(
                name: "passkey_user_handle",
                schema: "paseto_auth",
                table: "users");
        }
    }
}
