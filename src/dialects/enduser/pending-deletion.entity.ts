import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../../database/epoch-millis.transformer';
import { User } from '../../users/entities/user.entity';

/** A user who asked to be deleted later (userDelete type 2): deleted at `dueAt` unless a sign-in removes the row first. */
@Entity('enduser_pending_deletions')
@Index('IX_enduser_pending_deletions_due', ['dueAt'])
export class PendingDeletion {
  @PrimaryColumn({ name: 'user_id', type: 'int' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_enduser_pending_deletions_user' })
  user?: User;

  @Column({ name: 'due_at', type: 'bigint', transformer: epochMillis })
  dueAt: number;
}
