namespace Ferry.Tests.Reports;

/// <summary>
/// --json documents the CLI printed (integrity samples cut to five), made against the test cluster; see each one.
/// </summary>
internal static class ReportDocuments
{
    /// <summary><c>ferry copy sqlite:chinook.sqlite --verify --cast invoice.total=numeric(3,2) --json</c> (64 rows rejected, orphans) without its <c>verify</c>: <see cref="CopyVerified"/> adds one.</summary>
    public const string Copy = """
        {
          "ok": false,
          "source": "sqlite:/work/shared/datasets/chinook.sqlite",
          "target": "postgres://postgres@127.0.0.1:42543/chin",
          "seconds": 0.921,
          "rejects_dir": "/tmp/r19/rej",
          "tables": [
            {
              "source": "Album",
              "target": "public.album",
              "rows_read": 347,
              "rows_written": 347,
              "rows_rejected": 0,
              "seconds": 0.017,
              "rows_repaired": 0,
              "resumed": false
            },
            {
              "source": "Artist",
              "target": "public.artist",
              "rows_read": 275,
              "rows_written": 275,
              "rows_rejected": 0,
              "seconds": 0.004,
              "rows_repaired": 0,
              "resumed": false
            },
            {
              "source": "Customer",
              "target": "public.customer",
              "rows_read": 59,
              "rows_written": 59,
              "rows_rejected": 0,
              "seconds": 0.006,
              "rows_repaired": 0,
              "resumed": false
            },
            {
              "source": "Employee",
              "target": "public.employee",
              "rows_read": 8,
              "rows_written": 8,
              "rows_rejected": 0,
              "seconds": 0.014,
              "rows_repaired": 0,
              "resumed": false
            },
            {
              "source": "Genre",
              "target": "public.genre",
              "rows_read": 25,
              "rows_written": 25,
              "rows_rejected": 0,
              "seconds": 0.003,
              "rows_repaired": 0,
              "resumed": false
            },
            {
              "source": "Invoice",
              "target": "public.invoice",
              "rows_read": 412,
              "rows_written": 348,
              "rows_rejected": 64,
              "seconds": 0.089,
              "rows_repaired": 0,
              "resumed": false
            },
            {
              "source": "InvoiceLine",
              "target": "public.invoiceline",
              "rows_read": 2240,
              "rows_written": 2240,
              "rows_rejected": 0,
              "seconds": 0.009,
              "rows_repaired": 0,
              "resumed": false
            },
            {
              "source": "MediaType",
              "target": "public.mediatype",
              "rows_read": 5,
              "rows_written": 5,
              "rows_rejected": 0,
              "seconds": 0.003,
              "rows_repaired": 0,
              "resumed": false
            },
            {
              "source": "Playlist",
              "target": "public.playlist",
              "rows_read": 18,
              "rows_written": 18,
              "rows_rejected": 0,
              "seconds": 0.003,
              "rows_repaired": 0,
              "resumed": false
            },
            {
              "source": "PlaylistTrack",
              "target": "public.playlisttrack",
              "rows_read": 8715,
              "rows_written": 8715,
              "rows_rejected": 0,
              "seconds": 0.076,
              "rows_repaired": 0,
              "resumed": false
            },
            {
              "source": "Track",
              "target": "public.track",
              "rows_read": 3503,
              "rows_written": 3503,
              "rows_rejected": 0,
              "seconds": 0.071,
              "rows_repaired": 0,
              "resumed": false
            }
          ],
          "warnings": [
            "SQLite enforces foreign keys only when an application turns them on: orphan rows may exist and are reported when the constraints are validated.",
            "Album: Index IPK_Album not copied: it repeats the primary key.",
            "Artist: Index IPK_Artist not copied: it repeats the primary key.",
            "Customer: Index IPK_Customer not copied: it repeats the primary key.",
            "Employee: Index IPK_Employee not copied: it repeats the primary key.",
            "Genre: Index IPK_Genre not copied: it repeats the primary key.",
            "Invoice: Index IPK_Invoice not copied: it repeats the primary key.",
            "InvoiceLine: Index IPK_InvoiceLine not copied: it repeats the primary key.",
            "MediaType: Index IPK_MediaType not copied: it repeats the primary key.",
            "Playlist: Index IPK_Playlist not copied: it repeats the primary key.",
            "PlaylistTrack: Index IPK_PlaylistTrack not copied: it repeats the primary key.",
            "Track: Index IPK_Track not copied: it repeats the primary key."
          ],
          "failures": [],
          "orphans": [
            {
              "table": "public.invoiceline",
              "constraint": "invoiceline_invoiceid_fkey",
              "columns": [
                "invoiceid"
              ],
              "referenced_table": "public.invoice",
              "rows": 868,
              "keys": [
                "5",
                "12",
                "19",
                "26",
                "33",
                "40",
                "47",
                "54",
                "61",
                "68",
                "75",
                "82",
                "88",
                "89",
                "96",
                "103",
                "110",
                "117",
                "124",
                "131"
              ]
            }
          ]
        }
        """;

    /// <summary>The copy with, as its <c>verify</c>, <see cref="Verify"/> (a copy --verify that found differences).</summary>
    public static string CopyVerified()
    {
        var copy = System.Text.Json.Nodes.JsonNode.Parse(Copy)!;
        copy["verify"] = System.Text.Json.Nodes.JsonNode.Parse(Verify);
        return copy.ToJsonString();
    }

    /// <summary><c>ferry verify</c> of that copy after album 5 and artist 3 were changed in the target.</summary>
    public const string Verify = """
        {
          "ok": false,
          "source": "sqlite:/work/shared/datasets/chinook.sqlite",
          "target": "postgres://postgres@127.0.0.1:42543/chin",
          "seconds": 0.493,
          "tables": [
            {
              "source": "Album",
              "target": "public.album",
              "source_rows": 347,
              "target_rows": 347,
              "ok": false,
              "status": "different",
              "compared": "content",
              "key": [
                "albumid"
              ],
              "differences": [
                {
                  "key": {
                    "albumid": 5
                  },
                  "kind": "changed"
                }
              ],
              "differences_total": 1,
              "truncated": false,
              "source_rejected": 0,
              "problems": [],
              "integrity": []
            },
            {
              "source": "Artist",
              "target": "public.artist",
              "source_rows": 275,
              "target_rows": 275,
              "ok": false,
              "status": "different",
              "compared": "content",
              "key": [
                "artistid"
              ],
              "differences": [
                {
                  "key": {
                    "artistid": 3
                  },
                  "kind": "changed"
                }
              ],
              "differences_total": 1,
              "truncated": false,
              "source_rejected": 0,
              "problems": [],
              "integrity": []
            },
            {
              "source": "Customer",
              "target": "public.customer",
              "source_rows": 59,
              "target_rows": 59,
              "ok": true,
              "status": "ok",
              "compared": "content",
              "key": [
                "customerid"
              ],
              "differences": [],
              "differences_total": 0,
              "truncated": false,
              "source_rejected": 0,
              "problems": [],
              "integrity": []
            },
            {
              "source": "Employee",
              "target": "public.employee",
              "source_rows": 8,
              "target_rows": 8,
              "ok": true,
              "status": "ok",
              "compared": "content",
              "key": [
                "employeeid"
              ],
              "differences": [],
              "differences_total": 0,
              "truncated": false,
              "source_rejected": 0,
              "problems": [],
              "integrity": []
            },
            {
              "source": "Genre",
              "target": "public.genre",
              "source_rows": 25,
              "target_rows": 25,
              "ok": true,
              "status": "ok",
              "compared": "content",
              "key": [
                "genreid"
              ],
              "differences": [],
              "differences_total": 0,
              "truncated": false,
              "source_rejected": 0,
              "problems": [],
              "integrity": []
            },
            {
              "source": "Invoice",
              "target": "public.invoice",
              "source_rows": 348,
              "target_rows": 348,
              "ok": true,
              "status": "ok",
              "compared": "content",
              "key": [
                "invoiceid"
              ],
              "differences": [],
              "differences_total": 0,
              "truncated": false,
              "source_rejected": 64,
              "problems": [],
              "integrity": []
            },
            {
              "source": "InvoiceLine",
              "target": "public.invoiceline",
              "source_rows": 2240,
              "target_rows": 2240,
              "ok": false,
              "status": "integrity",
              "compared": "content",
              "key": [
                "invoicelineid"
              ],
              "differences": [],
              "differences_total": 0,
              "truncated": false,
              "source_rejected": 0,
              "problems": [],
              "integrity": [
                {
                  "kind": "orphans",
                  "constraint": "invoiceline_invoiceid_fkey",
                  "columns": [
                    "invoiceid"
                  ],
                  "references": "public.invoice(invoiceid)",
                  "count": 868,
                  "sample": [
                    {
                      "invoicelineid": 22,
                      "invoiceid": 5
                    },
                    {
                      "invoicelineid": 23,
                      "invoiceid": 5
                    },
                    {
                      "invoicelineid": 24,
                      "invoiceid": 5
                    },
                    {
                      "invoicelineid": 25,
                      "invoiceid": 5
                    },
                    {
                      "invoicelineid": 26,
                      "invoiceid": 5
                    }
                  ]
                }
              ]
            },
            {
              "source": "MediaType",
              "target": "public.mediatype",
              "source_rows": 5,
              "target_rows": 5,
              "ok": true,
              "status": "ok",
              "compared": "content",
              "key": [
                "mediatypeid"
              ],
              "differences": [],
              "differences_total": 0,
              "truncated": false,
              "source_rejected": 0,
              "problems": [],
              "integrity": []
            },
            {
              "source": "Playlist",
              "target": "public.playlist",
              "source_rows": 18,
              "target_rows": 18,
              "ok": true,
              "status": "ok",
              "compared": "content",
              "key": [
                "playlistid"
              ],
              "differences": [],
              "differences_total": 0,
              "truncated": false,
              "source_rejected": 0,
              "problems": [],
              "integrity": []
            },
            {
              "source": "PlaylistTrack",
              "target": "public.playlisttrack",
              "source_rows": 8715,
              "target_rows": 8715,
              "ok": true,
              "status": "ok",
              "compared": "content",
              "key": [
                "playlistid",
                "trackid"
              ],
              "differences": [],
              "differences_total": 0,
              "truncated": false,
              "source_rejected": 0,
              "problems": [],
              "integrity": []
            },
            {
              "source": "Track",
              "target": "public.track",
              "source_rows": 3503,
              "target_rows": 3503,
              "ok": true,
              "status": "ok",
              "compared": "content",
              "key": [
                "trackid"
              ],
              "differences": [],
              "differences_total": 0,
              "truncated": false,
              "source_rejected": 0,
              "problems": [],
              "integrity": []
            }
          ]
        }
        """;

    /// <summary><c>ferry migrate up --json</c>: 001 applied, 002 failed at line 3 (a foreign key to a missing table).</summary>
    public const string MigrateUpFailed = """
        {
          "ok": false,
          "history_table": "public.schema_migrations",
          "dry_run": false,
          "steps": [
            {
              "version": "001",
              "name": "create_users",
              "kind": "versioned",
              "file": "001_create_users.up.sql",
              "transactional": true,
              "execution_ms": 5
            }
          ],
          "sql": null,
          "error": {
            "file": "/tmp/r19/m/migrations/002_add_email.up.sql",
            "line": 3,
            "column": 1,
            "message": "42P01: relation \"nosuch\" does not exist",
            "detail": null,
            "hint": null
          }
        }
        """;

    /// <summary><c>ferry migrate up --json</c> applying one migration.</summary>
    public const string MigrateUp = """
        {
          "ok": true,
          "history_table": "public.schema_migrations",
          "dry_run": false,
          "steps": [
            {
              "version": "002",
              "name": "add_email",
              "kind": "versioned",
              "file": "002_add_email.up.sql",
              "transactional": true,
              "execution_ms": 1
            }
          ],
          "sql": null
        }
        """;

    /// <summary><c>ferry migrate repair --json</c> with nothing to repair.</summary>
    public const string MigrateRepair = """
        {
          "history_table": "public.schema_migrations",
          "actions": []
        }
        """;
}
