using Ferry.Project;
using Ferry.Transforms.Spec;

namespace Ferry.Tests.Transforms;

/// <summary>The <c>transform</c> section read from <c>ferry.yml</c> and from a file of its own: its records, and every refusal with its line.</summary>
public sealed class TransformSpecTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("ferry-transform-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The issue's example, as ferry.yml writes it.</summary>
    const string Example = """
        transform:
          users:
            rename: members
            where: "email NOT LIKE '%@example.test'"
            columns:
              password: { hash: bcrypt, cost: 12 }
              email:    { normalize: lower_trim, validate: email, invalid: reject }
              phone:    { validate: phone, region: US, normalize: e164, invalid: null }
              role:     { map: { admin: ADMIN, user: MEMBER, guest: MEMBER }, unmapped: reject }
              last_ip:  { validate: ip, type: inet }
              legacy:   { drop: true }
              name:     { rename: full_name }
            add:
              tracking: { json: [utm_source, utm_medium, referrer], drop: true }
          visitors:
            where: "user_agent NOT LIKE '%bot%' AND user_agent NOT LIKE '%crawl%'"
          sessions_daily:
            query: "SELECT date(started_at) AS day, count(*) AS sessions FROM sessions GROUP BY 1"
            primary_key: [day]
          '"Forecasts".curve_definitions':
            schema: forecasts
        """;

    string Write(string yaml, string name = FerryProject.FileName)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void The_issues_example_is_read_into_its_records()
    {
        var spec = FerryProject.Load(Write(Example)).Transform;

        Assert.Equal(["users", "visitors", "sessions_daily", "Forecasts.curve_definitions"], spec.Tables.Select(t => t.Table.Qualified));
        var users = spec.For(null, "Users")!;
        Assert.Equal("members", users.Rename);
        Assert.Equal("email NOT LIKE '%@example.test'", users.Where!.Text);
        Assert.Equal(4, users.Where.Line);
        var password = users.Column("password")!;
        Assert.Equal(("bcrypt", 12), (password.Hash, password.Cost));
        Assert.Equal(6, password.Origin.Line);
        var email = users.Column("email")!;
        Assert.Equal(("lower_trim", "email", TransformPolicy.Reject), (email.Normalize, email.Validate, email.Invalid));
        var phone = users.Column("phone")!;
        Assert.Equal(("US", "e164", TransformPolicy.Null), (phone.Region, phone.Normalize, phone.Invalid));
        var role = users.Column("role")!;
        Assert.Equal(["admin=ADMIN", "user=MEMBER", "guest=MEMBER"], role.Map!.Select(p => $"{p.Key}={p.Value}"));
        Assert.Equal(TransformPolicy.Reject, role.Unmapped);
        Assert.Equal("inet", users.Column("last_ip")!.Type);
        Assert.True(users.Column("legacy")!.Drop);
        Assert.False(users.Column("legacy")!.HasSteps);
        Assert.Equal("full_name", users.Column("name")!.Rename);
        var tracking = Assert.Single(users.Add);
        Assert.Equal(("tracking", true), (tracking.Name, tracking.DropFolded));
        Assert.Equal(["utm_source", "utm_medium", "referrer"], tracking.Json);

        var daily = Assert.Single(spec.Derived);
        Assert.Equal("sessions_daily", daily.Table.Name);
        Assert.Equal(["day"], daily.PrimaryKey);
        Assert.Null(spec.For(null, "sessions_daily"));

        var forecasts = spec.For("Forecasts", "curve_definitions")!;
        Assert.Equal("forecasts", forecasts.Schema);
        Assert.Null(spec.For("forecasts", "curve_definitions")); // a quoted part matches its case only
    }

    [Fact]
    public void A_standalone_file_is_either_the_section_or_the_tables()
    {
        var wrapped = TransformFile.Load(Write(Example, "wrapped.yml"));
        var direct = TransformFile.Load(Write(string.Join('\n', Example.Split('\n').Skip(1).Select(l => l[2..])), "direct.yml"));

        Assert.Equal(wrapped.Tables.Select(t => t.Table.Qualified), direct.Tables.Select(t => t.Table.Qualified));
        Assert.Equal("members", direct.For(null, "users")!.Rename);
        Assert.Equal(3, direct.For(null, "users")!.Where!.Line);
        var extra = Assert.Throws<FerryException>(() => TransformFile.Load(Write("transform:\n  users: { rename: m }\nusers: { rename: x }\n", "both.yml")));
        Assert.Contains("both.yml, line 3: unknown key 'users' in the file", extra.Message);
        Assert.Contains("is empty", Assert.Throws<FerryException>(() => TransformFile.Load(Write("", "empty.yml"))).Message);
    }

    [Fact]
    public void An_environment_replaces_the_tables_it_names()
    {
        var project = FerryProject.Load(Write("""
            transform:
              users: { rename: members }
              visitors: { where: "1 = 1" }
            environments:
              prod:
                transform:
                  users: { schema: app }
              dev: {}
            """));

        var prod = project.Environments["prod"].Transform;
        Assert.Equal(["visitors", "users"], prod.Tables.Select(t => t.Table.Name));
        Assert.Null(prod.For(null, "users")!.Rename);
        Assert.Equal("app", prod.For(null, "users")!.Schema);
        Assert.Equal("members", project.Environments["dev"].Transform.For(null, "users")!.Rename);
    }

    [Theory]
    [InlineData("users: { colums: { a: { drop: true } } }", 2, "unknown key 'colums' in transform.users: did you mean 'columns'?")]
    [InlineData("users: { columns: { a: { mapp: { x: y } } } }", 2, "did you mean 'map'?")]
    [InlineData("users:\n    columns:\n      role: { map: [admin, user] }", 4, "transform.users.columns.role.map must be a mapping of old value to new value")]
    [InlineData("users:\n    columns:\n      role: { map: { a: A }, unmapped: reject, default: B }", 4, "transform.users.columns.role.default and transform.users.columns.role.unmapped contradict each other")]
    [InlineData("users:\n    columns:\n      password: { cost: 12 }", 4, "transform.users.columns.password.cost needs hash: bcrypt")]
    [InlineData("users:\n    columns:\n      email: { invalid: reject }", 4, "transform.users.columns.email.invalid needs validate:")]
    [InlineData("users:\n    columns:\n      phone: { validate: email, region: US }", 4, "transform.users.columns.phone.region needs validate: phone")]
    [InlineData("users:\n    columns:\n      name: { rename: '' }", 4, "transform.users.columns.name.rename is empty")]
    [InlineData("users:\n    columns:\n      a: { rename: b }\n      c: { rename: b }", 5, "both a (line 4) and c are renamed to 'b'")]
    [InlineData("users:\n    columns:\n      a: { rename: b }\n      b: { normalize: lower }", 4, "a is renamed to 'b', which the column b keeps")]
    [InlineData("users:\n    columns:\n      name: { normalize: lower }\n    add:\n      name: { json: [a] }", 6, "the table already has a column named 'name'")]
    [InlineData("users:\n    add:\n      tracking: { json: utm_source }", 4, "transform.users.add.tracking.json must be a list of column names")]
    [InlineData("users:\n    add:\n      tracking: { drop: true }", 4, "says nothing to add")]
    [InlineData("users:\n    columns:\n      legacy: { drop: true, rename: old }", 4, "the column is dropped (drop: true), so it takes no rename")]
    [InlineData("users:\n    columns:\n      email: { validate: emial }", 4, "did you mean 'email'?")]
    [InlineData("users:\n    columns:\n      password: { hash: bcrypt, cost: 99 }", 4, "must be a whole number from 4 to 31")]
    [InlineData("users:\n    columns:\n      role: { type: enum(role) }", 4, "transform.users.columns.role.type: enum(role) takes its labels from map:")]
    [InlineData("users:\n    columns:\n      a: { map: { x: y }, type: enum( ) }", 4, "write enum(name) or enum(schema.name)")]
    [InlineData("users:\n    columns:\n      a: { map: { x: y }, type: enum(a.b.c) }", 4, "write enum(name) or enum(schema.name)")]
    [InlineData("users:\n    columns:\n      a: { map: { x: y }, unmapped: keep, type: enum(e) }", 4, "enum(e) cannot take unmapped: keep")]
    [InlineData("users:\n    columns:\n      a:\n        map: { x: y }\n        hash: bcrypt\n        type: enum(e)", 7, "hash the column or type it as an enum, not both")]
    [InlineData("users:\n    rename: ''", 3, "transform.users.rename is empty")]
    [InlineData("daily:\n    query: SELECT 1 AS x\n    where: x > 0", 4, "daily is a derived table (it has a query), which takes no where")]
    [InlineData("users:\n    primary_key: [id]", 3, "is for a derived table")]
    [InlineData("'\"Forecasts.curve_definitions':\n    schema: x", 2, "is not a table name: a quoted name has no closing")]
    [InlineData("users:\n    columns:\n      role: { invalid: maybe, validate: email }", 4, "must be reject, null or keep, not 'maybe'")]
    public void A_contradiction_is_refused_naming_the_file_line_and_key(string tables, int line, string expected)
    {
        var path = Write("transform:\n  " + tables + "\n");

        var refused = Assert.Throws<FerryException>(() => FerryProject.Load(path));

        Assert.Contains($"{path}, line {line}: ", refused.Message);
        Assert.Contains(expected, refused.Message);
    }
}
