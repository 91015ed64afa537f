// Package sshconf resolves OpenSSH's client configuration (~/.ssh/config
// and /etc/ssh/ssh_config) for one host, as `ssh -G HOST` would, for the
// keywords stg's SSH resolver uses: HostName, Port, User, IdentityFile,
// IdentitiesOnly, UserKnownHostsFile, StrictHostKeyChecking, ProxyJump
// (with ProxyCommand noticed, since OpenSSH lets the first of the two
// win), ConnectTimeout and HostKeyAlias. Other keywords are ignored.
//
// Files are split into lines and key/value pairs by
// github.com/kevinburke/ssh_config; sshconf evaluates them as OpenSSH
// does:
//
//   - the first value obtained for a keyword wins; IdentityFile lines add
//     up; files are read in order: the user's, then the system's (or only
//     the one file given, as `ssh -F`);
//   - Host patterns use '*' and '?' and '!' negation, matched against the
//     host as typed, case-sensitively;
//   - Include takes globs, expanded in lexical order; a relative path is
//     under ~/.ssh in a user file and under /etc/ssh in the system file,
//     "~/" is the home directory given in Options; an Include in a block
//     that does not match is not followed;
//   - Match all, host (against HostName so far), originalhost, user
//     (against User so far, else the local user) and localuser are
//     evaluated, with '!' and comma-separated patterns. Match canonical
//     and final are false, as in ssh's normal pass. Match exec (which
//     would run a command), address, localaddress, localport, tagged,
//     localnetwork and the rest are not supported: their blocks are
//     skipped with a warning naming the file and line;
//   - tokens are expanded as OpenSSH 9 does: %h (HostName) and %% in
//     HostName; %%, %d, %h, %k, %L, %l, %n, %p, %r and %u in IdentityFile
//     and UserKnownHostsFile, after "~/" becomes the home directory. %C
//     and %i are not supported (an error names the line), nor ~user.
//
// HostName is lower-cased as ssh does. Nothing is read from the process
// environment or user database: the home directory, local user and local
// host name are passed in Options.
package sshconf
