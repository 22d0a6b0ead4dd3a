import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../../database/epoch-millis.transformer';

/**
 * An RS256 key pair enduser tokens are signed with. The newest generation signs; an older one still verifies
 * until `retiredAt` plus the longest token lifetime. `generation` is unique, so instances racing to make the
 * first key, or two rotations at once, leave one key per generation.
 */
@Entity('enduser_signing_keys')
@Index('UQ_enduser_signing_keys_generation', ['generation'], { unique: true })
@Index('UQ_enduser_signing_keys_kid', ['kid'], { unique: true })
export class SigningKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  generation: number;

  /** The JWS `kid` header of the tokens it signs, and of its JWKS entry. */
  @Column({ type: 'varchar', length: 64 })
  kid: string;

  /** SPKI PEM. */
  @Column({ name: 'public_key', type: 'text' })
  publicKey: string;

  /** PKCS #8 PEM, sealed under JWT_SECRET (SecretBoxService). */
  @Column({ name: 'private_key_sealed', type: 'text' })
  privateKeySealed: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  /** When a newer key took over signing; null for the current key. */
  @Column({ name: 'retired_at', type: 'bigint', nullable: true, transformer: epochMillis })
  retiredAt: number | null;
}
