/**
 * A backup's failure in plain words, for the admin page and the command line: what went wrong and what to do,
 * never a stack trace. Errors this module's callers raised on purpose (BackupError, LockBusyError) already read so.
 */

interface Where {
  backupDir: string;
  databasePath: string;
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function describeBackupError(err: unknown, where: Where): string {
  const code = codeOf(err);
  const { backupDir, databasePath } = where;
  switch (code) {
    case "ENOSPC":
    case "SQLITE_FULL":
      return `The disk is full: there was no room to write the backup into ${backupDir}. Free some space or point BACKUP_DIR at a larger disk.`;
    case "EACCES":
    case "EPERM":
      return `Tokenwise is not allowed to write into ${backupDir} (permission denied). Give the app's user write access or choose another BACKUP_DIR.`;
    case "EROFS":
      return `${backupDir} is on a read-only file system. Choose a writable BACKUP_DIR.`;
    case "ENOTDIR":
    case "EEXIST":
      return `BACKUP_DIR ${backupDir} (or a folder above it) is a file, not a folder. Choose a folder for BACKUP_DIR.`;
    case "EIO":
    case "SQLITE_IOERR":
      return `The disk reported an input/output error while the backup was being written or read (${messageOf(err)}). Check the disk.`;
    case "SQLITE_CORRUPT":
    case "SQLITE_NOTADB":
      return `The database ${databasePath} itself is damaged (${messageOf(err)}), so it cannot be copied. Restore the newest good backup (npm run db:restore).`;
    case "SQLITE_BUSY":
      return `The database ${databasePath} stayed locked for more than 5 seconds, so the copy could not begin. It will be tried again.`;
    default:
      return messageOf(err);
  }
}
